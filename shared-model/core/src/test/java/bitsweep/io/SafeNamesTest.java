package bitsweep.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Names from the network become one path element, or nothing. */
class SafeNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"result.json", "checkpoint-epoch-2.ckpt", "mu0.05-pruning-s0-0123456789", "a", "A_b-9"})
    void acceptsPortableNames(String name) {
        assertEquals(name, SafeNames.require("file name", name));
        assertTrue(SafeNames.isSafe(name));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "../x", ".hidden", "a/b", "a\\b", "/abs", "a b", "x\0y", "caf\u00e9",
            "a:b", "..."})
    void refusesNamesThatAreNotOnePortablePathElement(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeNames.require("file name", name));
        assertTrue(e.getMessage().startsWith("invalid file name '"), e.getMessage());
        assertFalse(SafeNames.isSafe(name));
    }

    @Test
    void refusesNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeNames.require("trial id", null));
        assertEquals("invalid trial id null: must not be empty", e.getMessage());
    }

    @Test
    void errorNamesWhatWasCheckedAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeNames.require("trial id", "../etc"));
        assertTrue(e.getMessage().contains("trial id '../etc'"), e.getMessage());
    }

    @Test
    void lengthLimitIsInclusive() {
        assertTrue(SafeNames.isSafe("a".repeat(SafeNames.MAX_LENGTH)));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SafeNames.require("file name", "a".repeat(SafeNames.MAX_LENGTH + 1)));
        assertTrue(e.getMessage().contains("longer than 200"), e.getMessage());
    }
}
