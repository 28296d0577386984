using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml.Linq;

namespace ScimFunctions.Tests.Infra;

/// <summary>
/// Runs the Bicep compiler that restore downloads (PackageDownload Azure.Bicep.CommandLine.linux-x64 in the
/// test project), so the infra tests need neither the Azure CLI nor a network.
/// </summary>
internal static class BicepCli
{
    private const string PackageId = "Azure.Bicep.CommandLine.linux-x64";

    private static readonly Lazy<string> ExecutablePath = new(FindExecutable);
    private static readonly Lazy<ProcessResult> MainBuild = new(() => Run("build", RepositoryFiles.MainBicep, "--stdout"));
    private static readonly Lazy<JsonObject> MainTemplate = new(ParseMainTemplate);

    public static string Executable => ExecutablePath.Value;

    /// <summary>`bicep build infra/main.bicep --stdout`, run once per test run.</summary>
    public static ProcessResult BuildMain() => MainBuild.Value;

    /// <summary>infra/main.bicep compiled to ARM JSON.</summary>
    public static JsonObject CompiledMain => MainTemplate.Value;

    public static ProcessResult Run(params string[] arguments)
    {
        var startInfo = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryFiles.Root,
        };
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        using var process = Process.Start(startInfo) ?? throw new InvalidOperationException($"Could not start {Executable}.");
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        // A guard against a hung compiler, not a performance check.
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"bicep {string.Join(' ', arguments)} did not finish.");
        }
        return new ProcessResult(process.ExitCode, standardOutput.GetAwaiter().GetResult(), standardError.GetAwaiter().GetResult());
    }

    private static JsonObject ParseMainTemplate()
    {
        var result = BuildMain();
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"bicep build failed ({result.ExitCode}):\n{result.StandardError}");
        }
        return JsonNode.Parse(result.StandardOutput)?.AsObject() ?? throw new InvalidOperationException("bicep build wrote no JSON.");
    }

    /// <summary>The version pinned in the test project, so the tests use exactly what restore fetched.</summary>
    public static string PinnedVersion()
    {
        var project = XDocument.Load(RepositoryFiles.TestProject);
        var download = project.Descendants("PackageDownload")
            .SingleOrDefault(element => (string?)element.Attribute("Include") == PackageId)
            ?? throw new InvalidOperationException($"{RepositoryFiles.TestProject} has no PackageDownload of {PackageId}.");
        return ((string?)download.Attribute("Version") ?? "").Trim('[', ']', ' ');
    }

    private static string FindExecutable()
    {
        var version = PinnedVersion();
        var searched = new List<string>();
        foreach (var packageRoot in PackageRoots())
        {
            var candidate = Path.Combine(packageRoot, PackageId.ToLowerInvariant(), version, "tools", "bicep");
            searched.Add(candidate);
            if (!File.Exists(candidate)) continue;
            // NuGet extraction does not always keep the executable bit (the package is Linux-only anyway).
            if (OperatingSystem.IsWindows()) return candidate;
            var mode = File.GetUnixFileMode(candidate);
            if (!mode.HasFlag(UnixFileMode.UserExecute))
            {
                File.SetUnixFileMode(candidate, mode | UnixFileMode.UserExecute);
            }
            return candidate;
        }
        throw new FileNotFoundException($"No bicep {version} in the NuGet package folders; run `dotnet restore`. Looked at:\n{string.Join('\n', searched)}");
    }

    /// <summary>NUGET_PACKAGES, then the folders restore recorded for this project, then the default.</summary>
    private static IEnumerable<string> PackageRoots()
    {
        if (Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } configured) yield return configured;

        var assets = Path.Combine(RepositoryFiles.Root, "ScimFunctions.Tests", "obj", "project.assets.json");
        if (File.Exists(assets))
        {
            using var document = JsonDocument.Parse(File.ReadAllText(assets));
            if (document.RootElement.TryGetProperty("packageFolders", out var folders))
            {
                foreach (var folder in folders.EnumerateObject()) yield return folder.Name;
            }
        }

        yield return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
    }
}

internal sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    public string AllOutput => StandardOutput + StandardError;
}
