using Microsoft.Extensions.Time.Testing;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Auth;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

public sealed class StorageRegistrationTests
{
    [Theory]
    [InlineData(null, false, true)]
    [InlineData("Error", false, false)]
    [InlineData("Information", false, true)] // never below Warning: at Information it names row keys
    [InlineData("Trace", false, true)]
    public void The_sdk_log_keeps_warnings_and_settings_may_only_raise_its_level(string? configured, bool information, bool warning)
    {
        var settings = new Dictionary<string, string?>();
        if (configured is not null) settings["Logging:LogLevel:Azure.Core"] = configured;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddConfiguration(configuration.GetSection("Logging")).AddProvider(new LogCapture()));
        services.AddScimStorageClients(configuration);
        using var provider = services.BuildServiceProvider();

        var logger = provider.GetRequiredService<ILoggerFactory>().CreateLogger("Azure.Core");
        Assert.Equal(information, logger.IsEnabled(LogLevel.Information));
        Assert.Equal(warning, logger.IsEnabled(LogLevel.Warning));
        Assert.False(provider.GetRequiredService<ILoggerFactory>().CreateLogger("Azure.Identity").IsEnabled(LogLevel.Information));
    }

    [Fact]
    public async Task AddScimStorage_gives_one_working_store_over_the_configured_account()
    {
        var services = new ServiceCollection();
        services.AddScimStorage(TestStorage.Configuration());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<ScimStore>();
        Assert.Same(store, provider.GetRequiredService<ScimStore>());
        Assert.Equal(ScimStorageOptions.DefaultTableName, provider.GetRequiredService<ScimDataTable>().Name);

        await store.EnsureTableAsync();
        var directory = TestStorage.NewDirectoryId();
        var user = await store.Users.CreateAsync(directory, new JsonObject { ["userName"] = "registered" });
        Assert.Equal(user.Id, (await store.Users.GetAsync(directory, user.Id))!.Id);
    }

    [Fact]
    public async Task The_use_cases_storage_port_is_the_registered_store_and_runs_on_the_registered_clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        var services = new ServiceCollection();
        services.AddSingleton<TimeProvider>(clock);
        services.AddScimStorage(TestStorage.Configuration());
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var store = provider.GetRequiredService<ScimStore>();
        var port = provider.GetRequiredService<IDirectoryResources>();
        Assert.Same(store.Users, port.Users);
        Assert.Same(store.Groups, port.Groups);
        Assert.Same(store.Memberships, port.Memberships);

        await store.EnsureTableAsync();
        var user = await port.Users.CreateAsync(TestStorage.NewDirectoryId(), new JsonObject { ["userName"] = "clocked" });
        Assert.Equal(clock.GetUtcNow(), user.Created);
    }
}
