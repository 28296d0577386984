using System.Reflection;
using System.Text.Json.Nodes;
using ScimFunctions.Configuration;

namespace ScimFunctions.Tests.Infra;

/// <summary>
/// The settings the code reads (AppSettingNames), the settings Azure gets (app settings in the compiled
/// Bicep), the local sample and the documented table (infra/app-settings.md) must agree.
/// </summary>
public class AppSettingsDriftTests
{
    // Read by the Functions host, not by the app, so they have no AppSettingNames constant. Each is allowed
    // only on the side where the host needs it.
    private static readonly HashSet<string> HostSettingsLocal =
    [
        "FUNCTIONS_WORKER_RUNTIME", // Core Tools picks the worker from it; Flex Consumption rejects it as an app setting.
    ];

    private static readonly HashSet<string> HostSettingsAzure =
    [
        "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", // Entra auth for that telemetry (local auth is off)
    ];

    private const string IdentitySeparator = "__";

    private static IReadOnlyList<string> CodeSettings { get; } = typeof(AppSettingNames)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(field => field is { IsLiteral: true } && field.FieldType == typeof(string))
        .Select(field => (string)field.GetRawConstantValue()!)
        .ToList();

    [Fact]
    public void The_code_declares_settings_to_check()
    {
        Assert.Contains(AppSettingNames.Storage, CodeSettings);
        Assert.Contains(AppSettingNames.KeyVaultUri, CodeSettings);
    }

    [Fact]
    public void Table_has_exactly_one_row_per_setting_the_code_reads()
    {
        var rows = AppSettingsTable.Read().Select(row => row.Setting).ToList();

        Assert.Equal(rows.Count, rows.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(CodeSettings.Order(StringComparer.Ordinal), rows.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Table_local_column_matches_the_sample()
    {
        var sample = SampleSettings();

        Assert.All(AppSettingsTable.Read(), row =>
        {
            if (row.LocalValue is null)
            {
                Assert.False(sample.ContainsKey(row.Setting), $"{row.Setting} is in the sample but the table says it is not.");
            }
            else
            {
                Assert.True(sample.TryGetValue(row.Setting, out var value), $"{row.Setting} is missing from local.settings.sample.json.");
                Assert.Equal(row.LocalValue, value);
            }
        });
    }

    [Fact]
    public void Table_azure_column_matches_the_bicep()
    {
        var azure = BicepAppSettings();

        Assert.All(AppSettingsTable.Read(), row =>
            Assert.True(row.SetInAzure == azure.Contains(row.Setting),
                $"{row.Setting}: the table says {(row.SetInAzure ? "set" : "not set")} in Azure, infra/app/api.bicep disagrees."));
    }

    [Fact]
    public void Every_setting_missing_on_a_side_documents_what_happens_there()
    {
        // An optional setting may be set on neither side (its default serves both), but never silently.
        var sample = SampleSettings();
        var azure = BicepAppSettings();

        Assert.All(AppSettingsTable.Read(), row =>
        {
            if (!sample.ContainsKey(row.Setting) || !azure.Contains(row.Setting))
            {
                Assert.False(string.IsNullOrWhiteSpace(row.WhenNotSet), $"{row.Setting} is missing on one side; the table must say what happens then.");
            }
        });
    }

    [Fact]
    public void Connection_string_is_local_only_and_its_identity_based_form_is_azure_only()
    {
        var sample = SampleSettings();
        var azure = BicepAppSettings();
        var connections = CodeSettings
            .Where(name => !name.Contains(IdentitySeparator, StringComparison.Ordinal))
            .Where(name => CodeSettings.Any(other => other.StartsWith(name + IdentitySeparator, StringComparison.Ordinal)))
            .ToList();

        Assert.Contains(AppSettingNames.Storage, connections);
        Assert.All(connections, connection =>
        {
            // Shared keys are disabled in Azure: a connection string there could only be wrong.
            Assert.True(sample.ContainsKey(connection), $"{connection} (connection string) is missing from the sample.");
            Assert.DoesNotContain(connection, azure);
            // Next to a connection string the identity-based settings are ignored, so they stay out of the sample.
            var identityBased = CodeSettings.Where(name => name.StartsWith(connection + IdentitySeparator, StringComparison.Ordinal));
            Assert.All(identityBased, name =>
            {
                Assert.Contains(name, azure);
                Assert.False(sample.ContainsKey(name), $"{name} is identity-based (Azure); the sample uses the {connection} connection string.");
            });
        });
    }

    [Fact]
    public void Host_storage_in_azure_uses_the_managed_identity()
    {
        var settings = BicepAppSettingValues();

        Assert.Equal("managedidentity", (string?)settings[AppSettingNames.StorageCredential]);
        // The same client id for the host's storage, the app's DefaultAzureCredential and telemetry.
        var clientId = (string?)settings[AppSettingNames.StorageClientId];
        Assert.Equal(clientId, (string?)settings[AppSettingNames.AzureClientId]);
        // Compiled values are ARM expressions: "[parameters('identityClientId')]" inside a format() call.
        var clientIdExpression = clientId!.Trim('[', ']');
        Assert.Contains("parameters(", clientIdExpression);
        Assert.Contains(clientIdExpression, (string?)settings["APPLICATIONINSIGHTS_AUTHENTICATION_STRING"]);
    }

    [Fact]
    public void Sample_sets_only_settings_the_code_or_the_host_reads()
    {
        var unknown = SampleSettings().Keys.Where(name => !CodeSettings.Contains(name) && !HostSettingsLocal.Contains(name));

        Assert.Empty(unknown);
    }

    [Fact]
    public void Bicep_sets_only_settings_the_code_or_the_host_reads()
    {
        // Also keeps out FUNCTIONS_WORKER_RUNTIME, FUNCTIONS_EXTENSION_VERSION and WEBSITE_* settings, which
        // Flex Consumption rejects.
        var unknown = BicepAppSettings().Where(name => !CodeSettings.Contains(name) && !HostSettingsAzure.Contains(name));

        Assert.Empty(unknown);
    }

    [Fact]
    public void Host_settings_are_present_where_the_host_needs_them()
    {
        Assert.All(HostSettingsLocal, name => Assert.True(SampleSettings().ContainsKey(name), $"{name} is missing from the sample."));
        Assert.All(HostSettingsAzure, name => Assert.Contains(name, BicepAppSettings()));
    }

    private static Dictionary<string, string?> SampleSettings()
    {
        var values = JsonNode.Parse(RepositoryFiles.Read(RepositoryFiles.LocalSettingsSample))?["Values"]?.AsObject()
            ?? throw new InvalidOperationException("local.settings.sample.json has no Values.");
        return values.ToDictionary(entry => entry.Key, entry => (string?)entry.Value, StringComparer.Ordinal);
    }

    private static HashSet<string> BicepAppSettings() =>
        BicepAppSettingValues().Select(entry => entry.Key).ToHashSet(StringComparer.Ordinal);

    /// <summary>The app settings resource (sites/config 'appsettings') of the compiled template.</summary>
    private static JsonObject BicepAppSettingValues()
    {
        var appSettings = Assert.Single(
            ArmTemplate.OfType(BicepCli.CompiledMain, "Microsoft.Web/sites/config"),
            resource => resource.Name.Contains("'appsettings'", StringComparison.Ordinal));
        return appSettings.Properties;
    }
}

/// <summary>One row of the settings table in infra/app-settings.md. A dash in a column reads as null/false;
/// "*(empty)*" in the local column is an empty value in the sample.</summary>
internal sealed record AppSettingsRow(string Setting, string? LocalValue, bool SetInAzure, string WhenNotSet);

internal static class AppSettingsTable
{
    public static IReadOnlyList<AppSettingsRow> Read()
    {
        var rows = RepositoryFiles.Read(RepositoryFiles.AppSettingsTable)
            .Split('\n')
            .Select(line => line.Trim())
            .Where(line => line.StartsWith("| `", StringComparison.Ordinal))
            .Select(Parse)
            .ToList();
        return rows.Count > 0 ? rows : throw new InvalidOperationException("infra/app-settings.md has no settings rows.");
    }

    private static AppSettingsRow Parse(string line)
    {
        var cells = line.Trim('|').Split('|').Select(cell => cell.Trim()).ToArray();
        if (cells.Length != 4) throw new FormatException($"Expected 4 columns: {line}");
        return new AppSettingsRow(
            Setting: Unquote(cells[0]),
            LocalValue: IsDash(cells[1]) ? null : cells[1] == EmptyValue ? "" : Unquote(cells[1]),
            SetInAzure: !IsDash(cells[2]),
            WhenNotSet: IsDash(cells[3]) ? "" : cells[3]);
    }

    private const string EmptyValue = "*(empty)*";

    private static bool IsDash(string cell) => cell is "—" or "-" or "";

    private static string Unquote(string cell) =>
        cell.Length >= 2 && cell[0] == '`' && cell[^1] == '`' ? cell[1..^1] : throw new FormatException($"Expected a `quoted` value: {cell}");
}
