using System.Diagnostics;

namespace ScimFunctions.LocalHost;

/// <summary>
/// Azurite as the repository pins it: the dev dependency in package.json, installed into node_modules by
/// <c>npm ci</c> the first time it is needed. Node.js (with npm) is the one prerequisite.
/// </summary>
public static class AzuriteInstallation
{
    private static readonly string[] EntryPoint = ["node_modules", "azurite", "dist", "src", "azurite.js"];
    private static readonly Lock InstallLock = new();

    /// <summary>The folder holding the package.json that pins Azurite: searched upwards from the working
    /// directory, then from where the program runs (bin/ inside the repository).</summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var folder = new DirectoryInfo(start); folder is not null; folder = folder.Parent)
            {
                var packageJson = Path.Combine(folder.FullName, "package.json");
                if (File.Exists(packageJson) && File.ReadAllText(packageJson).Contains("\"azurite\"", StringComparison.Ordinal))
                {
                    return folder.FullName;
                }
            }
        }
        return null;
    }

    /// <summary>The path of Azurite's entry script under <paramref name="repositoryRoot"/>, running <c>npm ci</c>
    /// first when it is missing. Progress goes to <paramref name="log"/>; failure throws with one line.</summary>
    public static string EnsureInstalled(string repositoryRoot, TextWriter log)
    {
        var entryPoint = Path.Combine([repositoryRoot, .. EntryPoint]);
        EnsureDevDependencies(repositoryRoot, log);
        if (!File.Exists(entryPoint)) throw new AzuriteException($"npm ci in {repositoryRoot} did not install Azurite.");
        return entryPoint;
    }

    /// <summary>Runs <c>npm ci</c> when any of package.json's dev dependencies (Azurite, and axe-core for the
    /// portal's accessibility test) is missing from node_modules — also after a pull added one.</summary>
    public static void EnsureDevDependencies(string repositoryRoot, TextWriter log)
    {
        lock (InstallLock)
        {
            if (MissingDevDependencies(repositoryRoot).Count == 0) return;
            log.WriteLine($"Installing the dev tools (npm ci in {repositoryRoot})...");
            var (exitCode, output) = Run(repositoryRoot, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
            var missing = MissingDevDependencies(repositoryRoot);
            if (exitCode != 0 || missing.Count > 0)
            {
                throw new AzuriteException($"npm ci failed in {repositoryRoot} (exit {exitCode}): {LastLine(output)}");
            }
        }
    }

    private static List<string> MissingDevDependencies(string repositoryRoot)
    {
        var manifest = Path.Combine(repositoryRoot, "package.json");
        if (!File.Exists(manifest)) return [];
        using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(manifest));
        if (!document.RootElement.TryGetProperty("devDependencies", out var dependencies)) return [];
        return dependencies.EnumerateObject().Select(dependency => dependency.Name)
            .Where(name => !File.Exists(Path.Combine(repositoryRoot, "node_modules", name, "package.json")))
            .ToList();
    }

    private static (int ExitCode, string Output) Run(string workingDirectory, string command, params string[] arguments)
    {
        // npm is a .cmd script on Windows, which only a shell starts.
        var start = OperatingSystem.IsWindows()
            ? new ProcessStartInfo("cmd.exe") { ArgumentList = { "/d", "/c", command } }
            : new ProcessStartInfo(command);
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        start.WorkingDirectory = workingDirectory;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.UseShellExecute = false;
        try
        {
            using var process = Process.Start(start) ?? throw new AzuriteException($"Could not start {command}.");
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            process.WaitForExit();
            return (process.ExitCode, stdout.Result + stderr.Result);
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new AzuriteException($"'{command}' was not found: install Node.js (it brings npm), then run again.");
        }
    }

    internal static string LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? "(no output)";
}
