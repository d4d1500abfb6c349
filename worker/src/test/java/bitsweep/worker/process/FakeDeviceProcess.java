package bitsweep.worker.process;

import bitsweep.worker.DeviceProcessMain;

/**
 * A stand-in device process for supervisor tests (starts in a fraction of a second):
 * <pre>
 * exit CODE MILLIS   runs MILLIS ms, then exits with CODE
 * hang-halt MILLIS   runs MILLIS ms, then halts like a device process with a hung trial
 * run                runs until SIGTERM
 * ignore-sigterm     runs; SIGTERM starts a shutdown that never ends (only SIGKILL stops it)
 * </pre>
 */
public final class FakeDeviceProcess {
    private FakeDeviceProcess() {
    }

    public static void main(String[] args) throws Exception {
        System.out.println("fake device process " + ProcessHandle.current().pid() + " " + String.join(" ", args));
        switch (args[0]) {
            case "exit" -> {
                Thread.sleep(Long.parseLong(args[2]));
                System.exit(Integer.parseInt(args[1]));
            }
            case "hang-halt" -> {
                Thread.sleep(Long.parseLong(args[1]));
                DeviceProcessMain.markDeviceProcess();
                DeviceProcessMain.haltHungProcess("training thread of trial t-1 hung for 600 s");
            }
            case "run" -> Thread.sleep(Long.MAX_VALUE);
            case "ignore-sigterm" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Thread.sleep(Long.MAX_VALUE);
                    } catch (InterruptedException e) {
                        // only SIGKILL ends this
                    }
                }));
                Thread.sleep(Long.MAX_VALUE);
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }
}
