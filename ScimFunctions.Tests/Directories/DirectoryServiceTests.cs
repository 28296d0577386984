using ScimFunctions.Directories;
using ScimFunctions.Tests.Auth;

namespace ScimFunctions.Tests.Directories;

public sealed class DirectoryServiceTests : IAsyncLifetime
{
    private readonly AuthHarness harness = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await harness.DisposeAsync();

    [Fact]
    public async Task Create_then_get_and_list_return_the_stored_directory()
    {
        var created = await harness.Directories.CreateAsync("Contoso", DirectoryProvider.EntraId, CancellationToken.None);
        harness.Time.Advance(TimeSpan.FromSeconds(1));
        var other = await harness.Directories.CreateAsync("Fabrikam", DirectoryProvider.Okta, CancellationToken.None);

        var fetched = await harness.Directories.GetAsync(created.Id, CancellationToken.None);
        var listed = await harness.Directories.ListAsync(CancellationToken.None);

        Assert.True(ScimFunctions.Directories.ScimDirectory.IsValidId(created.Id));
        Assert.Equal(created, fetched);
        Assert.Equal(DirectoryState.Active, fetched!.State);
        Assert.Equal(DirectoryProvider.EntraId, fetched.Provider);
        Assert.Equal([created.Id, other.Id], listed.Select(d => d.Id));
    }

    [Fact]
    public async Task Rename_and_disable_change_the_row_and_keep_the_rest()
    {
        var created = await harness.NewDirectoryAsync("Old name");
        harness.Time.Advance(TimeSpan.FromMinutes(1));

        await harness.Directories.RenameAsync(created.Id, "New name", CancellationToken.None);
        await harness.Directories.SetEnabledAsync(created.Id, enabled: false, CancellationToken.None);
        var stored = await harness.Directories.GetAsync(created.Id, CancellationToken.None);

        Assert.Equal("New name", stored!.DisplayName);
        Assert.Equal(DirectoryState.Disabled, stored.State);
        Assert.Equal(created.Created, stored.Created);
        Assert.Equal(created.Created + TimeSpan.FromMinutes(1), stored.LastModified);
        Assert.Equal(created.Provider, stored.Provider);
    }

    [Fact]
    public async Task Concurrent_renames_and_disables_all_land()
    {
        var created = await harness.NewDirectoryAsync("Name 0");

        await Task.WhenAll(
            harness.Directories.RenameAsync(created.Id, "Renamed", CancellationToken.None),
            harness.Directories.SetEnabledAsync(created.Id, enabled: false, CancellationToken.None));
        var stored = await harness.Directories.GetAsync(created.Id, CancellationToken.None);

        Assert.Equal("Renamed", stored!.DisplayName);
        Assert.Equal(DirectoryState.Disabled, stored.State);
    }

    [Fact]
    public async Task Unknown_or_malformed_ids_are_not_found()
    {
        Assert.Null(await harness.Directories.GetAsync("doesnotexist", CancellationToken.None));
        Assert.Null(await harness.Directories.GetAsync("bad'id", CancellationToken.None));
        Assert.Null(await harness.Directories.RenameAsync("doesnotexist", "x", CancellationToken.None));
        Assert.False(await harness.Directories.DeleteAsync("doesnotexist", CancellationToken.None));
    }

    [Fact]
    public async Task Delete_revokes_every_token_marks_deleting_and_hides_the_directory()
    {
        var directory = await harness.NewDirectoryAsync();
        var first = await harness.MintAsync(directory.Id);
        var second = await harness.MintAsync(directory.Id);

        Assert.True(await harness.Directories.DeleteAsync(directory.Id, CancellationToken.None));

        Assert.Empty(harness.Vault.Secrets);
        var tokens = await harness.Tokens.ListAsync(directory.Id, CancellationToken.None);
        Assert.All(tokens, t => Assert.NotNull(t.RevokedAt));
        Assert.Equal(new[] { first.Metadata.TokenId, second.Metadata.TokenId }.Order(), tokens.Select(t => t.TokenId).Order());
        Assert.Equal(DirectoryState.Deleting, (await harness.DirectoryStore.GetAsync(directory.Id, CancellationToken.None))!.State);
        Assert.Null(await harness.Directories.GetAsync(directory.Id, CancellationToken.None));
        Assert.DoesNotContain(await harness.Directories.ListAsync(CancellationToken.None), d => d.Id == directory.Id);
        Assert.Null(await harness.Directories.SetEnabledAsync(directory.Id, enabled: true, CancellationToken.None));
        Assert.Equal(DirectoryState.Deleting, (await harness.DirectoryStore.GetAsync(directory.Id, CancellationToken.None))!.State);
    }

    [Fact]
    public async Task A_delete_whose_revocation_failed_succeeds_leaves_the_directory_refused_and_the_purge_finishes_revoking()
    {
        var directory = await harness.NewDirectoryAsync();
        var minted = await harness.MintAsync(directory.Id);
        harness.Vault.WriteFault = new Azure.RequestFailedException(503, "down");

        // The mark is the commit: a failure after it must not invite a retry of a delete that happened.
        Assert.True(await harness.Directories.DeleteAsync(directory.Id, CancellationToken.None));
        Assert.Equal(DirectoryState.Deleting, (await harness.DirectoryStore.GetAsync(directory.Id, CancellationToken.None))!.State);
        Assert.False((await harness.AuthenticateAsync(directory.Id, "Bearer " + minted.Token)).Succeeded);

        harness.Vault.WriteFault = null;
        await harness.Create<DirectoryPurger>().RunAsync(CancellationToken.None);

        Assert.Empty(harness.Vault.Secrets);
    }
}
