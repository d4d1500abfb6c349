package bitsweep.app.doctor;

/** One line of {@code bitsweep doctor}: what was checked, how it went, and what was found. */
record Check(String area, Status status, String detail) {
    enum Status { OK, WARN, FAIL }

    static Check ok(String area, String detail) {
        return new Check(area, Status.OK, detail);
    }

    static Check warn(String area, String detail) {
        return new Check(area, Status.WARN, detail);
    }

    static Check fail(String area, String detail) {
        return new Check(area, Status.FAIL, detail);
    }

    String render() {
        String mark = switch (status) {
            case OK -> "ok  ";
            case WARN -> "warn";
            case FAIL -> "FAIL";
        };
        return String.format("[%s] %-14s %s", mark, area, detail);
    }
}
