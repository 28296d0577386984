using System.Text.RegularExpressions;

namespace ScimFunctions.Tests.Infra;

/// <summary>azure.yaml names the real Functions project, its hooks print outputs main.bicep has, and every
/// file and README section it points a reader to exists.</summary>
public class AzureYamlTests
{
    // A relative file path (with an extension) that is not part of a URL; URLs are removed before matching.
    private static readonly Regex FilePath = new(@"(?<![\w/.-])(?:\./)?[\w-]+(?:/[\w.-]+)*\.(?:md|bicep|json|ya?ml|sh|ps1|csproj)\b", RegexOptions.Compiled);
    private static readonly Regex Url = new(@"\S+://\S+", RegexOptions.Compiled);
    private static readonly Regex SectionReference = new(@"section '([^']+)'", RegexOptions.Compiled);

    private static IReadOnlyDictionary<string, string> AzureYaml() => YamlMappings.Read(RepositoryFiles.Read(RepositoryFiles.AzureYaml));

    private static IReadOnlyList<string> ServiceNames(IReadOnlyDictionary<string, string> yaml) =>
        yaml.Keys.Where(key => key.StartsWith("services.", StringComparison.Ordinal))
            .Select(key => key.Split('.')[1])
            .Distinct()
            .ToList();

    [Fact]
    public void Has_one_service_the_function_app_project()
    {
        var yaml = AzureYaml();

        var service = Assert.Single(ServiceNames(yaml));
        Assert.Equal("api", service);
        Assert.Equal("dotnet", yaml["services.api.language"]);
        Assert.Equal("function", yaml["services.api.host"]);
    }

    [Fact]
    public void Service_project_is_the_functions_app_csproj()
    {
        var project = AzureYaml()["services.api.project"];
        var directory = Path.GetFullPath(Path.Combine(RepositoryFiles.Root, project));

        Assert.True(Directory.Exists(directory), $"{project} does not exist.");
        var csproj = Assert.Single(Directory.GetFiles(directory, "*.csproj"));
        var text = File.ReadAllText(csproj);
        Assert.Contains("<AzureFunctionsVersion>v4</AzureFunctionsVersion>", text);
        Assert.Contains("Microsoft.Azure.Functions.Worker.Sdk", text);
    }

    [Fact]
    public void Service_name_matches_the_tag_azd_deploys_to()
    {
        var service = Assert.Single(ServiceNames(AzureYaml()));
        var api = ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.Resources/deployments").Single(module => module.Name == "api");

        // azd finds the app by the tag azd-service-name=<service>, which api.bicep sets from this parameter.
        Assert.Equal(service, (string?)api.Properties["parameters"]?["serviceName"]?["value"]);
    }

    [Theory]
    [InlineData("hooks.postprovision.posix.run", "sh")]
    [InlineData("hooks.postprovision.windows.run", "pwsh")]
    public void Postprovision_hooks_print_the_scim_url_pattern_and_portal_url(string runKey, string shell)
    {
        var yaml = AzureYaml();
        var script = yaml[runKey];
        var outputs = BicepCli.CompiledMain["outputs"]!.AsObject();

        Assert.Equal(shell, yaml[runKey.Replace(".run", ".shell", StringComparison.Ordinal)]);
        Assert.Contains("SCIM_BASE_URL_PATTERN", script);
        Assert.Contains("AZURE_PORTAL_URL", script);
        // Every variable a hook prints must be an output of main.bicep, or azd leaves it empty.
        var printed = Regex.Matches(script, @"\$\{?(?:env:)?([A-Z][A-Z0-9_]+)").Select(match => match.Groups[1].Value).Distinct();
        Assert.All(printed, name => Assert.True(outputs.ContainsKey(name), $"{runKey} prints {name}, which main.bicep does not output."));
    }

    [Fact]
    public void Every_file_it_names_exists()
    {
        var text = Url.Replace(RepositoryFiles.Read(RepositoryFiles.AzureYaml), "");
        var paths = FilePath.Matches(text).Select(match => match.Value).Distinct().ToList();

        Assert.Contains("README.md", paths); // the hooks send the reader there; an empty list would prove nothing
        Assert.All(paths, path => Assert.True(File.Exists(Path.Combine(RepositoryFiles.Root, path)), $"azure.yaml names {path}, which does not exist."));
    }

    [Fact]
    public void Every_readme_section_it_names_is_a_heading_of_the_readme()
    {
        var sections = SectionReference.Matches(RepositoryFiles.Read(RepositoryFiles.AzureYaml)).Select(match => match.Groups[1].Value).Distinct().ToList();
        var headings = RepositoryFiles.Read(RepositoryFiles.Readme).Split('\n')
            .Where(line => line.StartsWith('#'))
            .Select(line => line.TrimStart('#').Trim())
            .ToHashSet(StringComparer.Ordinal);

        Assert.NotEmpty(sections);
        Assert.All(sections, section => Assert.True(headings.Contains(section), $"azure.yaml names the README section '{section}', which the README does not have."));
    }
}
