using System.Runtime.InteropServices;

namespace ScimFunctions.LocalHost;

/// <summary>Sends SIGINT to a process (Linux and macOS): .NET can only kill, and Azurite shuts down cleanly on SIGINT.</summary>
internal static class UnixSignal
{
    private const int SigInt = 2;

    public static bool TryInterrupt(int processId)
    {
        if (OperatingSystem.IsWindows()) return false;
        try
        {
            return Kill(processId, SigInt) == 0;
        }
        catch (DllNotFoundException)
        {
            return false;
        }
        catch (EntryPointNotFoundException)
        {
            return false;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
