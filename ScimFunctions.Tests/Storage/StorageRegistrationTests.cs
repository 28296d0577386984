using Microsoft.Extensions.Time.Testing;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Storage;

public sealed class StorageRegistrationTests
{
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
