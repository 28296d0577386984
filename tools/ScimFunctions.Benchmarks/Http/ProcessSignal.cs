using System.Runtime.InteropServices;

namespace ScimFunctions.Benchmarks.Http;

/// <summary>Sends SIGTERM to a child process (Linux and macOS): .NET can only kill, and a host asked to stop
/// with SIGTERM shuts down as it would under a platform that recycles it.</summary>
internal static class ProcessSignal
{
    private const int SigTerm = 15;

    public static bool TryTerminate(int processId)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Kill(processId, SigTerm) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
