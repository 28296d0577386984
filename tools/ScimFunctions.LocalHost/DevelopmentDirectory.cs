using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace ScimFunctions.LocalHost;

/// <summary>
/// What the run command prints: the SCIM base URL of a directory named "Development" (created on first run)
/// and a freshly minted bearer token for it, and an operator link to the portal. It goes through the management
/// API, exactly as an admin would.
/// </summary>
public static class DevelopmentDirectory
{
    public const string DisplayName = "Development";
    private const string LocalRunLabel = "local run ";

    public sealed record Credentials(string DirectoryId, string ScimBaseUrl, string BearerToken, string PortalUrl);

    public static async Task<Credentials> EnsureAsync(Uri baseAddress, string functionKey, CancellationToken cancellationToken = default)
    {
        using var client = new HttpClient { BaseAddress = baseAddress };
        client.DefaultRequestHeaders.Add("x-functions-key", functionKey);

        var listing = await ReadObjectAsync(await client.GetAsync("manage/directories", cancellationToken), cancellationToken);
        var directory = listing["directories"]!.AsArray()
            .OfType<JsonObject>()
            .Where(d => (string?)d["displayName"] == DisplayName && (string?)d["state"] == "active")
            .OrderBy(d => (string?)d["created"], StringComparer.Ordinal)
            .FirstOrDefault();
        directory ??= await ReadObjectAsync(
            await client.PostAsJsonAsync("manage/directories", new { displayName = DisplayName, provider = "OneLogin" }, cancellationToken),
            cancellationToken);

        var directoryId = (string)directory["id"]!;
        // A directory holds at most two active tokens: the earlier runs' tokens make room for this one.
        var tokens = await ReadObjectAsync(await client.GetAsync($"manage/directories/{Uri.EscapeDataString(directoryId)}/tokens", cancellationToken), cancellationToken);
        foreach (var previous in tokens["tokens"]!.AsArray().OfType<JsonObject>()
            .Where(t => (string?)t["status"] == "active" && ((string?)t["label"])?.StartsWith(LocalRunLabel, StringComparison.Ordinal) == true))
        {
            using var revoked = await client.DeleteAsync($"manage/directories/{Uri.EscapeDataString(directoryId)}/tokens/{previous["id"]}", cancellationToken);
        }
        var label = LocalRunLabel + DateTimeOffset.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        var minted = await ReadObjectAsync(
            await client.PostAsJsonAsync($"manage/directories/{Uri.EscapeDataString(directoryId)}/tokens", new { label }, cancellationToken),
            cancellationToken);
        var portal = await ReadObjectAsync(
            await client.PostAsJsonAsync("manage/portal-links", new { scopes = new[] { "operator" }, lifetimeHours = 24 }, cancellationToken),
            cancellationToken);
        return new Credentials(directoryId, (string)minted["scimBaseUrl"]!, (string)minted["token"]!, (string)portal["url"]!);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Management API answered {(int)response.StatusCode}: {text}");
        }
        return JsonNode.Parse(text)!.AsObject();
    }
}
