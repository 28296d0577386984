using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>Every capability /ServiceProviderConfig advertises, exercised as a client reading it would: each test
/// reads the document first and fails if the server does not do what it says (or does what it says it does not).</summary>
public sealed class ServiceProviderConfigTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private static async Task<JsonNode> ConfigAsync(ScimClient scim) =>
        (await scim.GetAsync("/ServiceProviderConfig")).Expect(HttpStatusCode.OK).Body!;

    private static bool Supported(JsonNode config, string capability) => config[capability]!["supported"]!.GetValue<bool>();

    private static async Task<List<string>> UsersAsync(ScimClient scim, int count, string prefix)
    {
        var ids = new string[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            ids[i] = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"{prefix}{i:D4}@example.test" })).Expect(HttpStatusCode.Created).Id);
        return [.. ids];
    }

    [Fact]
    public async Task Patch_is_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "patch@example.test" })).Expect(HttpStatusCode.Created);

        var patched = await scim.PatchAsync($"/Users/{user.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Patched" }));

        Assert.Equal(Supported(config, "patch"), patched.Status == HttpStatusCode.OK);
        if (Supported(config, "patch")) Assert.Equal("Patched", (await scim.GetAsync($"/Users/{user.Id}")).Body!["title"]!.GetValue<string>());
    }

    [Fact]
    public async Task Bulk_is_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        var bulk = config["bulk"]!;
        JsonObject Request(int operations) => new()
        {
            ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:BulkRequest"),
            ["Operations"] = new JsonArray([.. Enumerable.Range(0, operations).Select(i => (JsonNode?)new JsonObject
            {
                ["method"] = "POST", ["path"] = "/Users", ["bulkId"] = $"b{i}",
                ["data"] = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:schemas:core:2.0:User"), ["userName"] = $"bulk{i}@example.test" },
            })]),
        };

        var one = await scim.PostAsync("/Bulk", Request(1));
        var users = (await scim.GetAsync("/Users?count=0")).Body!["totalResults"]!.GetValue<int>();

        if (!Supported(config, "bulk"))
        {
            Assert.False(one.Status is HttpStatusCode.OK, $"bulk is not supported, yet POST /Bulk answered {(int)one.Status}");
            Assert.Equal("application/scim+json", one.MediaType);
            Assert.Equal(0, users);
            return;
        }
        one.Expect(HttpStatusCode.OK);
        Assert.Equal(1, users);
        var maxOperations = bulk["maxOperations"]!.GetValue<int>();
        Assert.True(maxOperations > 0);
        var tooMany = await scim.PostAsync("/Bulk", Request(maxOperations + 1));
        tooMany.Expect(HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(1, (await scim.GetAsync("/Users?count=0")).Body!["totalResults"]!.GetValue<int>());
        Assert.True(bulk["maxPayloadSize"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Filter_max_results_and_both_paging_methods_are_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        Assert.True(Supported(config, "filter"));
        var maxResults = config["filter"]!["maxResults"]!.GetValue<int>();
        var pagination = config["pagination"]!;
        var defaultPageSize = pagination["defaultPageSize"]!.GetValue<int>();
        Assert.Equal(maxResults, pagination["maxPageSize"]!.GetValue<int>());
        var users = await UsersAsync(scim, maxResults + 1, "page");

        var filtered = (await scim.GetAsync("/Users?filter=" + Filter("userName sw \"page\"") + $"&count={maxResults * 10}")).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(maxResults + 1, filtered["totalResults"]!.GetValue<int>());
        Assert.Equal(maxResults, filtered["itemsPerPage"]!.GetValue<int>());
        Assert.Equal(maxResults, filtered["Resources"]!.AsArray().Count);
        var point = (await scim.GetAsync("/Users?filter=" + Filter("userName eq \"page0007@example.test\""))).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(users[7], Assert.Single(point["Resources"]!.AsArray())!["id"]!.GetValue<string>());

        var byDefault = (await scim.GetAsync("/Users")).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(defaultPageSize, byDefault["itemsPerPage"]!.GetValue<int>());
        Assert.Equal("index", pagination["defaultPaginationMethod"]!.GetValue<string>());
        Assert.Equal(1, byDefault["startIndex"]!.GetValue<int>());

        Assert.True(pagination["index"]!.GetValue<bool>());
        var indexed = new List<string>();
        for (var start = 1; start <= maxResults + 1; start += maxResults)
        {
            var page = (await scim.GetAsync($"/Users?startIndex={start}&count={maxResults}&attributes=id")).Expect(HttpStatusCode.OK).Body!;
            indexed.AddRange(page["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
        }
        Assert.Equal(users.Order(), indexed.Order());

        Assert.True(pagination["cursor"]!.GetValue<bool>());
        var cursored = new List<string>();
        var cursor = "";
        do
        {
            var page = (await scim.GetAsync($"/Users?cursor={Uri.EscapeDataString(cursor)}&count={maxResults * 10}&attributes=id")).Expect(HttpStatusCode.OK).Body!;
            Assert.True(page["itemsPerPage"]!.GetValue<int>() <= maxResults);
            cursored.AddRange(page["Resources"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()));
            cursor = page["nextCursor"]?.GetValue<string>() ?? "";
        }
        while (cursor.Length > 0);
        Assert.Equal(users.Order(), cursored.Order());
    }

    [Fact]
    public async Task Sort_is_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        foreach (var name in new[] { "b", "c", "a" })
        {
            (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"{name}@example.test" })).Expect(HttpStatusCode.Created);
        }

        var sorted = await scim.GetAsync("/Users?sortBy=userName&sortOrder=descending");

        Assert.True(Supported(config, "sort"));
        Assert.Equal(["c@example.test", "b@example.test", "a@example.test"],
            sorted.Expect(HttpStatusCode.OK).Body!["Resources"]!.AsArray().Select(r => r!["userName"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Etag_is_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        Assert.True(Supported(config, "etag"));
        var created = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "etag@example.test" })).Expect(HttpStatusCode.Created);
        Assert.False(string.IsNullOrEmpty(created.ETag));
        Assert.Equal(created.ETag, created.Body!["meta"]!["version"]!.GetValue<string>());

        (await scim.GetAsync($"/Users/{created.Id}", r => r.Headers.TryAddWithoutValidation("If-None-Match", created.ETag))).Expect(HttpStatusCode.NotModified);
        var changed = (await scim.PatchAsync($"/Users/{created.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "New" }),
            r => r.Headers.TryAddWithoutValidation("If-Match", created.ETag))).Expect(HttpStatusCode.OK);
        Assert.NotEqual(created.ETag, changed.ETag);
        (await scim.PatchAsync($"/Users/{created.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Stale" }),
            r => r.Headers.TryAddWithoutValidation("If-Match", created.ETag))).Expect(HttpStatusCode.PreconditionFailed);
        Assert.Equal("New", (await scim.GetAsync($"/Users/{created.Id}")).Body!["title"]!.GetValue<string>());

        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Tagged" })).Expect(HttpStatusCode.Created);
        var grown = (await scim.PatchAsync($"/Groups/{group.Id}", Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(created.Id) }),
            r => r.Headers.TryAddWithoutValidation("If-Match", group.ETag))).Expect(HttpStatusCode.NoContent);
        Assert.Equal((await scim.GetAsync($"/Groups/{group.Id}")).ETag, grown.ETag);
        (await scim.DeleteAsync($"/Groups/{group.Id}", r => r.Headers.TryAddWithoutValidation("If-Match", group.ETag))).Expect(HttpStatusCode.PreconditionFailed);
    }

    [Fact]
    public async Task Change_password_is_as_advertised()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var config = await ConfigAsync(scim);
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "secret@example.test", ["password"] = "Initial-1" })).Expect(HttpStatusCode.Created);

        var changed = await scim.PatchAsync($"/Users/{user.Id}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "password", ["value"] = "Changed-2" }));

        // Not supported: a password is accepted (IdPs send one) but never kept, so there is nothing to change and
        // nothing ever comes back; a server that claimed support would have to keep it.
        Assert.False(Supported(config, "changePassword"));
        changed.Expect(HttpStatusCode.OK);
        Assert.Null(changed.Body!["password"]);
        Assert.Null((await scim.GetAsync($"/Users/{user.Id}?attributes=password")).Body!["password"]);
    }
}
