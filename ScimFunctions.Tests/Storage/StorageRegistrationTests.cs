using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
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
        Assert.Equal(ScimStorageOptions.DefaultTableName, store.Table.Name);

        await store.EnsureTableAsync();
        var directory = TestStorage.NewDirectoryId();
        var user = await store.Users.CreateAsync(directory, new JsonObject { ["userName"] = "registered" });
        Assert.Equal(user.Id, (await store.Users.GetAsync(directory, user.Id))!.Id);
    }
}
