using ScimFunctions.Storage;
using Azure.Data.Tables;
using ScimFunctions.Auth;
using ScimFunctions.Directories;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Auth;

public sealed class DevelopmentTokenHashStoreTests : IAsyncLifetime
{
    private readonly TableServiceClient service = new(TestStorage.ConnectionString);
    private readonly string tableName = "devhashes" + Guid.NewGuid().ToString("N")[..12];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await service.DeleteTableAsync(tableName);

    [Fact]
    public async Task Stores_finds_and_deletes_the_same_record_key_vault_would_hold()
    {
        var store = new DevelopmentTokenHashStore(new EnsuredTable(service, tableName));
        var (tokenId, token) = ScimToken.Mint();
        var directoryId = TestStorage.NewDirectoryId();
        var expires = new DateTimeOffset(2031, 5, 1, 0, 0, 0, TimeSpan.Zero);
        var created = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

        await store.StoreAsync(new StoredTokenHash(directoryId, tokenId, ScimToken.Hash(token), true, expires, "dev", created), CancellationToken.None);
        var found = await store.FindAsync(directoryId, tokenId, CancellationToken.None);
        var elsewhere = await store.FindAsync(TestStorage.NewDirectoryId(), tokenId, CancellationToken.None);
        await store.DeleteAsync(directoryId, tokenId, CancellationToken.None);
        var afterDelete = await store.FindAsync(directoryId, tokenId, CancellationToken.None);
        await store.DeleteAsync(directoryId, tokenId, CancellationToken.None);

        Assert.NotNull(found);
        Assert.Equal(ScimToken.Hash(token), found.Hash);
        Assert.Equal(directoryId, found.DirectoryId);
        Assert.True(found.Enabled);
        Assert.Equal(expires, found.ExpiresOn);
        Assert.Equal("dev", found.Label);
        Assert.Null(elsewhere);
        Assert.Null(afterDelete);
        var row = await service.GetTableClient(tableName).GetEntityIfExistsAsync<TableEntity>(directoryId, tokenId);
        Assert.False(row.HasValue);
    }

    [Fact]
    public async Task An_unreachable_table_service_reads_as_unavailable()
    {
        var unreachable = new TableServiceClient(
            "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;TableEndpoint=http://127.0.0.1:1/devstoreaccount1;",
            new TableClientOptions { Retry = { MaxRetries = 0 } });
        var store = new DevelopmentTokenHashStore(new EnsuredTable(unreachable, tableName));

        await Assert.ThrowsAsync<TokenStoreUnavailableException>(() => store.FindAsync("d1", ScimToken.Mint().TokenId, CancellationToken.None));
    }
}
