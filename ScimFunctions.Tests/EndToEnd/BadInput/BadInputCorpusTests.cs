using ScimFunctions.Roles;
using Microsoft.Extensions.DependencyInjection;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using ScimFunctions.Storage;
using ScimFunctions.Tests.Infra;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.EndToEnd.BadInput;

/// <summary>
/// Every request of corpus.json (malformed JSON, wrong types, huge and deep bodies, invalid UTF-8, duplicate
/// keys, broken PATCH messages, invalid filters, odd ids, bad paging and preconditions, wrong media types)
/// gets its expected status with a SCIM error body, and the directory's partition is, row for row, what it was.
/// </summary>
public sealed partial class BadInputCorpusTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private const string UserName = "corpus.user@example.test";

    [Fact]
    public async Task Every_corpus_case_is_refused_with_its_scim_error_and_changes_no_row()
    {
        var cases = LoadCorpus();
        Assert.True(cases.Count >= 300, $"The corpus holds {cases.Count} cases.");
        var scim = await fixture.NewDirectoryAsync("OneLogin");
        var user = (await scim.PostAsync("/Users", new JsonObject
        {
            ["userName"] = UserName,
            ["title"] = "Original",
            ["emails"] = new JsonArray(new JsonObject { ["value"] = UserName, ["type"] = "work", ["primary"] = true }),
        })).Expect(HttpStatusCode.Created);
        // No membership: it would leave an outbox row that other test hosts' role sweepers may process meanwhile.
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Corpus" })).Expect(HttpStatusCode.Created);
        // Creating the user recorded its recompute (an outbox row) that any host's sweeper may process at any time;
        // settle it first, so the snapshot holds only rows the cases themselves could change.
        await fixture.Host.Services.GetRequiredService<IRoleRecomputer>().RecomputeAsync(scim.DirectoryId, [user.Id], CancellationToken.None);
        var before = await SnapshotAsync(scim.DirectoryId);

        var failures = new List<string>();
        foreach (var corpusCase in cases)
        {
            var failure = await RunAsync(scim, corpusCase, user.Id, group.Id);
            if (failure is not null) failures.Add($"{corpusCase.Name}: {failure}");
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases failed:\n" + string.Join("\n", failures));
        var after = await SnapshotAsync(scim.DirectoryId);
        Assert.Equal(before.Count, after.Count);
        Assert.Equal(before, after);
    }

    private static List<BadInputCase> LoadCorpus()
    {
        var path = Path.Combine(RepositoryFiles.Root, "ScimFunctions.Tests", "EndToEnd", "BadInput", "corpus.json");
        return JsonSerializer.Deserialize<List<BadInputCase>>(File.ReadAllText(path))!;
    }

    private async Task<string?> RunAsync(ScimClient scim, BadInputCase corpusCase, string userId, string groupId)
    {
        string Fill(string text) => Expand(text)
            .Replace("{userId}", userId, StringComparison.Ordinal)
            .Replace("{groupId}", groupId, StringComparison.Ordinal)
            .Replace("{userNameUpper}", UserName.ToUpperInvariant(), StringComparison.Ordinal)
            .Replace("{userName}", UserName, StringComparison.Ordinal);

        using var request = new HttpRequestMessage(new HttpMethod(corpusCase.Method), scim.BasePath + Fill(corpusCase.Path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", scim.Token);
        byte[]? body = corpusCase.BodyBase64 is not null ? Convert.FromBase64String(corpusCase.BodyBase64)
            : corpusCase.Body is not null ? Encoding.UTF8.GetBytes(Fill(corpusCase.Body))
            : null;
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            if (corpusCase.ContentType is not null) request.Content.Headers.TryAddWithoutValidation("Content-Type", corpusCase.ContentType);
        }
        foreach (var (name, value) in corpusCase.Headers) request.Headers.TryAddWithoutValidation(name, value);

        HttpResponseMessage response;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        try
        {
            response = await fixture.Host.Client.SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"no response within 20 s ({e.GetType().Name}: {e.Message})";
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            var summary = $"{status} {Shorten(text)}";
            if (status != corpusCase.Status) return $"expected {corpusCase.Status}, got {summary}";
            if (response.Content.Headers.ContentType?.MediaType != "application/scim+json") return $"not application/scim+json: {summary}";
            JsonNode? error;
            try
            {
                error = JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                return $"the body is not JSON: {summary}";
            }
            if (error?["schemas"] is not JsonArray schemas || !schemas.Any(s => s?.GetValue<string>() == "urn:ietf:params:scim:api:messages:2.0:Error"))
            {
                return $"no SCIM error schema: {summary}";
            }
            if (error["status"]?.GetValue<string>() != status.ToString(System.Globalization.CultureInfo.InvariantCulture)) return $"status member differs: {summary}";
            if (error["scimType"]?.GetValue<string>() != corpusCase.ScimType) return $"expected scimType {corpusCase.ScimType ?? "none"}: {summary}";
            if (string.IsNullOrWhiteSpace(error["detail"]?.GetValue<string>())) return $"no detail: {summary}";
            return null;
        }
    }

    /// <summary>Every row of the directory's partition, with every property, its ETag and its timestamp.</summary>
    private static async Task<List<string>> SnapshotAsync(string directoryId)
    {
        var table = new TableClient(TestStorage.ConnectionString, ScimStorageOptions.DefaultTableName);
        var rows = new List<string>();
        var partition = PartitionLayout.Partition(directoryId);
        await foreach (var entity in table.QueryAsync<TableEntity>(e => e.PartitionKey == partition))
        {
            // The directory turns failing as the refused requests outnumber the rest: what the admin and the app
            // are told of the IdP's traffic, like the request log, not directory data the cases could change.
            if (ConnectionChangeRows.Is(entity)) continue;
            var properties = entity.OrderBy(p => p.Key, StringComparer.Ordinal)
                .Select(p => $"{p.Key}={(p.Value is byte[] bytes ? Convert.ToBase64String(bytes) : Convert.ToString(p.Value, System.Globalization.CultureInfo.InvariantCulture))}");
            rows.Add($"{entity.RowKey} {entity.ETag} " + string.Join(";", properties));
        }
        rows.Sort(StringComparer.Ordinal);
        return rows;
    }

    /// <summary>The corpus's macros, so huge bodies stay small in the file (see generate_corpus.py).</summary>
    private static string Expand(string text)
    {
        text = CloseMacro().Replace(text, m => new string('}', int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)));
        text = KeysMacro().Replace(text, m => string.Join(",", Enumerable.Range(0, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)).Select(i => $"\"k{i}\":1")));
        text = RepeatMacro().Replace(text, m => string.Concat(Enumerable.Repeat(m.Groups[2].Value, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture))));
        return UrlMacro().Replace(text, m => Uri.EscapeDataString(m.Groups[1].Value));
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";

    [GeneratedRegex(@"\{\{close:(\d+)\}\}")]
    private static partial Regex CloseMacro();

    [GeneratedRegex(@"\{\{keys:(\d+)\}\}")]
    private static partial Regex KeysMacro();

    [GeneratedRegex(@"\{\{repeat:(\d+):(.*?)\}\}", RegexOptions.Singleline)]
    private static partial Regex RepeatMacro();

    [GeneratedRegex(@"\{\{url:(.*)\}\}$", RegexOptions.Singleline)]
    private static partial Regex UrlMacro();
}
