using Microsoft.Extensions.Configuration;
using ScimFunctions.Configuration;

namespace ScimFunctions.Tests.TestSupport;

/// <summary>
/// Where storage tests find Azurite: SCIM_TEST_STORAGE when set (a connection string); without it, an Azurite
/// the tests start themselves (<see cref="TestAzurite"/>).
/// </summary>
public static class TestStorage
{
    public static string ConnectionString =>
        Environment.GetEnvironmentVariable("SCIM_TEST_STORAGE") is { Length: > 0 } value ? value : TestAzurite.ConnectionString;

    /// <summary>Configuration as the app sees it, pointed at the test Azurite, plus any extra settings.</summary>
    public static IConfiguration Configuration(IDictionary<string, string?>? extra = null)
    {
        var values = new Dictionary<string, string?>
        {
            [AppSettingNames.Storage] = ConnectionString,
            [AppSettingNames.FunctionsEnvironment] = "Development",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>()) values[key] = value;
        return new ConfigurationBuilder().AddInMemoryCollection(values).Build();
    }

    /// <summary>A fresh id for a test's own directory (partition), so tests never see each other's rows.</summary>
    public static string NewDirectoryId() => "t" + Guid.NewGuid().ToString("N")[..20];
}
