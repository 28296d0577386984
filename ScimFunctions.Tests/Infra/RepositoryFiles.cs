namespace ScimFunctions.Tests.Infra;

/// <summary>Paths of the repository files the infra tests read, found from the test's output folder.</summary>
internal static class RepositoryFiles
{
    private static readonly Lazy<string> RootPath = new(FindRoot);

    public static string Root => RootPath.Value;

    public static string InfraDirectory => Path.Combine(Root, "infra");

    public static string MainBicep => Path.Combine(InfraDirectory, "main.bicep");

    public static string MainParameters => Path.Combine(InfraDirectory, "main.parameters.json");

    public static string AppSettingsTable => Path.Combine(InfraDirectory, "app-settings.md");

    public static string LocalSettingsSample => Path.Combine(Root, "local.settings.sample.json");

    public static string AzureYaml => Path.Combine(Root, "azure.yaml");

    public static string Readme => Path.Combine(Root, "README.md");

    public static string HttpRequests => Path.Combine(Root, "scimfunctions.http");

    public static string TestProject => Path.Combine(Root, "ScimFunctions.Tests", "ScimFunctions.Tests.csproj");

    public static string DirectoryBuildProps => Path.Combine(Root, "Directory.Build.props");

    public static string Read(string path) => File.ReadAllText(path);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ScimFunctions.slnx")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"No ScimFunctions.slnx above {AppContext.BaseDirectory}.");
    }
}
