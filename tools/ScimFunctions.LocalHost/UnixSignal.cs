using System.Runtime.InteropServices;

namespace ScimFunctions.LocalHost;

/// <summary>Sends a signal to a process (Linux and macOS): .NET can only kill, and Azurite shuts down cleanly on
/// SIGINT, a host on SIGTERM as it would when the platform recycles it.</summary>
public static class UnixSignal
{
    private const int SigInt = 2;
    private const int SigTerm = 15;

    public static bool TryInterrupt(int processId) => TrySend(processId, SigInt);

    public static bool TryTerminate(int processId) => TrySend(processId, SigTerm);

    private static bool TrySend(int processId, int signal)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Kill(processId, signal) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
