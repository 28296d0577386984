using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace ScimFunctions.Tests.Infra;

/// <summary>infra/main.bicep compiles and lints clean, and the compiled template keeps the security and
/// hosting properties issue 7 asks for.</summary>
public class BicepTests
{
    // "path(line,col) : Warning rule-name: message" is how the compiler and the linter report a finding.
    private static readonly Regex Diagnostic = new(@"\(\d+,\d+\) : (Error|Warning|Info) ", RegexOptions.Compiled);

    private const string KeyVaultSecretsOfficerRoleId = "b86a8fe4-44ce-4948-aee5-eccb2c155cd7";
    private const string KeyVaultAdministratorRoleId = "00482a5a-887f-4fb3-b363-3b7fe8e74483";
    private const string OwnerRoleId = "8e3af657-a8ff-443c-a75c-2fe8c4bcb635";
    private const string ContributorRoleId = "b24988ac-6180-42a0-ab88-20f7382dd24c";

    [Fact]
    public void Build_succeeds_without_diagnostics()
    {
        var result = BicepCli.BuildMain();

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.DoesNotMatch(Diagnostic, result.StandardError);
        Assert.NotNull(JsonNode.Parse(result.StandardOutput)?["resources"]);
    }

    [Fact]
    public void Lint_reports_nothing()
    {
        var result = BicepCli.Run("lint", RepositoryFiles.MainBicep);

        Assert.True(result.ExitCode == 0, result.AllOutput);
        Assert.Equal("", result.AllOutput.Trim());
    }

    [Fact]
    public void Lint_configuration_turns_a_module_finding_into_an_error()
    {
        // Proves bicepconfig.json is picked up and reaches modules: a clean lint above means something only
        // if the same linter fails on a planted problem.
        var copy = Directory.CreateTempSubdirectory("scim-infra-lint-");
        try
        {
            CopyDirectory(RepositoryFiles.InfraDirectory, copy.FullName);
            File.AppendAllText(Path.Combine(copy.FullName, "app", "rbac.bicep"), "\nvar plantedUnusedVariable = 1\n");

            var result = BicepCli.Run("lint", Path.Combine(copy.FullName, "main.bicep"));

            Assert.NotEqual(0, result.ExitCode);
            Assert.Contains("Error no-unused-vars", result.AllOutput);
        }
        finally
        {
            copy.Delete(recursive: true);
        }
    }

    [Fact]
    public void Main_deploys_at_subscription_scope_and_creates_the_resource_group()
    {
        var template = BicepCli.CompiledMain;

        Assert.Contains("subscriptionDeploymentTemplate", (string?)template["$schema"]);
        Assert.Single(ArmTemplate.OfType(template, "Microsoft.Resources/resourceGroups"), group => group.Module == ArmTemplate.RootModule);
    }

    [Fact]
    public void Function_app_runs_on_flex_consumption_with_the_projects_dotnet_version()
    {
        var template = BicepCli.CompiledMain;
        var plan = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/serverfarms"));
        var site = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Web/sites"));
        var config = site.Properties["functionAppConfig"]!;

        Assert.Equal("FC1", (string?)plan.Json["sku"]?["name"]);
        Assert.Equal("FlexConsumption", (string?)plan.Json["sku"]?["tier"]);
        Assert.Equal("functionapp,linux", (string?)site.Json["kind"]);
        Assert.True((bool?)site.Properties["httpsOnly"]);
        Assert.Equal("dotnet-isolated", (string?)config["runtime"]?["name"]);
        Assert.Equal(ProjectDotnetVersion(), (string?)config["runtime"]?["version"]);
        Assert.Equal("blobContainer", (string?)config["deployment"]?["storage"]?["type"]);
        Assert.Equal("UserAssignedIdentity", (string?)config["deployment"]?["storage"]?["authentication"]?["type"]);
        Assert.Equal("UserAssigned", (string?)site.Json["identity"]?["type"]);
        Assert.Contains("createObject('azd-service-name', parameters('serviceName'))", (string?)site.Json["tags"]);
    }

    [Fact]
    public void Basic_publishing_credentials_are_disabled()
    {
        var policies = ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.Web/sites/basicPublishingCredentialsPolicies").ToList();

        Assert.Equal(2, policies.Count);
        Assert.All(policies, policy => Assert.False((bool?)policy.Properties["allow"]));
    }

    [Fact]
    public void Storage_accepts_only_entra_id_over_tls_1_2_and_no_public_blobs()
    {
        var storage = Assert.Single(ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.Storage/storageAccounts")).Properties;

        Assert.False((bool?)storage["allowSharedKeyAccess"]);
        Assert.False((bool?)storage["allowBlobPublicAccess"]);
        Assert.Equal("TLS1_2", (string?)storage["minimumTlsVersion"]);
        Assert.True((bool?)storage["supportsHttpsTrafficOnly"]);
        Assert.Single(ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.Storage/storageAccounts/blobServices/containers"));
    }

    [Fact]
    public void Key_vault_uses_rbac_with_soft_delete_and_purge_protection()
    {
        var vault = Assert.Single(ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.KeyVault/vaults")).Properties;

        Assert.True((bool?)vault["enableRbacAuthorization"]);
        Assert.True((bool?)vault["enableSoftDelete"]);
        Assert.True((bool?)vault["enablePurgeProtection"]);
        Assert.Null(vault["accessPolicies"]);
    }

    [Fact]
    public void Monitoring_has_local_auth_disabled()
    {
        var template = BicepCli.CompiledMain;
        var insights = Assert.Single(ArmTemplate.OfType(template, "Microsoft.Insights/components")).Properties;
        var workspace = Assert.Single(ArmTemplate.OfType(template, "Microsoft.OperationalInsights/workspaces")).Properties;

        Assert.True((bool?)insights["DisableLocalAuth"]);
        Assert.NotNull(insights["WorkspaceResourceId"]);
        Assert.True((bool?)workspace["features"]?["disableLocalAuth"]);
    }

    [Fact]
    public void Role_assignments_live_in_the_rbac_module_and_use_no_broad_roles()
    {
        var template = BicepCli.CompiledMain;
        var assignments = ArmTemplate.OfType(template, "Microsoft.Authorization/roleAssignments").ToList();
        var rbacVariables = ArmTemplate.ModuleTemplate(template, "rbac")["variables"]!.ToJsonString();

        Assert.NotEmpty(assignments);
        Assert.All(assignments, assignment => Assert.Equal("rbac", assignment.Module));
        Assert.Contains(KeyVaultSecretsOfficerRoleId, rbacVariables);
        var everything = template.ToJsonString();
        Assert.DoesNotContain(KeyVaultAdministratorRoleId, everything);
        Assert.DoesNotContain(OwnerRoleId, everything);
        Assert.DoesNotContain(ContributorRoleId, everything);
    }

    [Theory]
    [InlineData("SERVICE_API_URI")]
    [InlineData("SCIM_BASE_URL_PATTERN")]
    [InlineData("AZURE_PORTAL_URL")]
    [InlineData("AZURE_KEY_VAULT_URI")]
    public void Main_outputs_what_azd_and_the_readme_use(string outputName)
    {
        var output = BicepCli.CompiledMain["outputs"]?[outputName];

        Assert.NotNull(output);
        Assert.Equal("string", (string?)output["type"]);
    }

    [Fact]
    public void Scim_base_url_pattern_matches_the_functions_routes()
    {
        var value = (string?)BicepCli.CompiledMain["outputs"]?["SCIM_BASE_URL_PATTERN"]?["value"] ?? "";

        // host.json sets routePrefix to "", so the SCIM routes start at the host root. ARM's format() writes a
        // literal brace doubled, so "{{directoryId}}" here evaluates to "{directoryId}".
        Assert.StartsWith("[format('{0}/scim/{{directoryId}}/v2', format('https://{0}', ", value);
        Assert.Contains(".outputs.defaultHostName.value", value);
    }

    [Fact]
    public void Parameters_file_supplies_every_required_parameter_and_nothing_else()
    {
        var declared = BicepCli.CompiledMain["parameters"]!.AsObject();
        var supplied = JsonNode.Parse(RepositoryFiles.Read(RepositoryFiles.MainParameters))!["parameters"]!.AsObject();

        Assert.All(supplied.Select(entry => entry.Key), name => Assert.True(declared.ContainsKey(name), $"{name} is not a parameter of main.bicep"));
        var required = declared.Where(entry => entry.Value?["defaultValue"] is null).Select(entry => entry.Key);
        Assert.All(required, name => Assert.True(supplied.ContainsKey(name), $"main.parameters.json does not supply {name}"));
    }

    [Fact]
    public void Location_is_a_list_of_flex_consumption_regions_azd_prompts_from()
    {
        var location = BicepCli.CompiledMain["parameters"]!["location"]!;
        var allowed = location["allowedValues"]?.AsArray().Select(value => (string?)value ?? "").ToList() ?? [];

        Assert.Equal("location", (string?)location["metadata"]?["azd"]?["type"]);
        Assert.Contains("eastus", allowed);
        Assert.Contains("swedencentral", allowed);
        Assert.Equal(allowed.Count, allowed.Distinct(StringComparer.Ordinal).Count());
        // ARM region names, not display names: "westeurope", never "West Europe".
        Assert.All(allowed, region => Assert.Matches("^[a-z0-9]+$", region));
    }

    [Theory]
    [InlineData("westindia")]
    [InlineData("francesouth")]
    public void Location_refuses_a_region_without_flex_consumption(string region)
    {
        var allowed = BicepCli.CompiledMain["parameters"]!["location"]!["allowedValues"]?.AsArray().Select(value => (string?)value).ToList() ?? [];

        Assert.NotEmpty(allowed);
        Assert.DoesNotContain(region, allowed);
    }

    private static string ProjectDotnetVersion()
    {
        var targetFramework = XDocument.Load(RepositoryFiles.DirectoryBuildProps).Descendants("TargetFramework").Single().Value;
        return targetFramework.Replace("net", "", StringComparison.Ordinal);
    }

    private static void CopyDirectory(string source, string destination)
    {
        foreach (var directory in Directory.GetDirectories(source, "*", SearchOption.AllDirectories))
        {
            Directory.CreateDirectory(directory.Replace(source, destination, StringComparison.Ordinal));
        }
        foreach (var file in Directory.GetFiles(source, "*", SearchOption.AllDirectories))
        {
            File.Copy(file, file.Replace(source, destination, StringComparison.Ordinal));
        }
    }
}
