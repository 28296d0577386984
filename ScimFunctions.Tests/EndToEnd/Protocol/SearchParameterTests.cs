using System.Net;
using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>
/// attributes, excludedAttributes, sortBy, sortOrder, startIndex, count and cursor mean the same in a GET
/// list's query string, in a <c>/.search</c> body of Users and Groups and in a root <c>/.search</c> body; a bad
/// value is 400 with a detail naming the parameter, and changes nothing.
/// </summary>
public sealed class SearchParameterTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    public static TheoryData<string, string, string, string> BadValues => new()
    {
        // resource type, parameter, value, scimType
        { "Users", "attributes", "user name", "invalidValue" },
        { "Groups", "attributes", "members..value", "invalidValue" },
        { "Users", "excludedAttributes", "emails[type eq \"work\"]", "invalidValue" },
        { "Groups", "excludedAttributes", "9lives", "invalidValue" },
        { "Users", "sortBy", "name..givenName", "invalidValue" },
        { "Groups", "sortOrder", "sideways", "invalidValue" },
        { "Users", "sortOrder", "desc", "invalidValue" },
        { "Groups", "startIndex", "first", "invalidValue" },
        { "Users", "count", "1.5", "invalidValue" },
        { "Groups", "count", "ten", "invalidValue" },
        { "Users", "cursor", "bm90LWEtY3Vyc29y", "invalidCursor" },
        { "Groups", "cursor", "!!", "invalidCursor" },
        { "Users", "filter", "userName xx \"a\"", "invalidFilter" },
    };

    private static JsonObject SearchBody(params (string Name, JsonNode? Value)[] parameters)
    {
        var body = new JsonObject { ["schemas"] = new JsonArray("urn:ietf:params:scim:api:messages:2.0:SearchRequest") };
        foreach (var (name, value) in parameters) body[name] = value;
        return body;
    }

    private static void AssertRefused(ScimResponse response, string scimType, string parameter, string how)
    {
        Assert.True(response.Status == HttpStatusCode.BadRequest, $"{how}: expected 400, got {(int)response.Status} {response.Body?.ToJsonString()}");
        Assert.Equal("application/scim+json", response.MediaType);
        Assert.Equal(scimType, response.Body!["scimType"]?.GetValue<string>());
        Assert.Contains(parameter, response.Body["detail"]!.GetValue<string>());
    }

    [Theory]
    [MemberData(nameof(BadValues))]
    public async Task A_bad_value_is_400_naming_the_parameter_in_a_query_and_in_a_search_body(string type, string parameter, string value, string scimType)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "present@example.test" })).Expect(HttpStatusCode.Created);

        AssertRefused(await scim.GetAsync($"/{type}?{parameter}={Uri.EscapeDataString(value)}"), scimType, parameter, "GET");
        AssertRefused(await scim.PostAsync($"/{type}/.search", SearchBody((parameter, JsonValue.Create(value)))), scimType, parameter, ".search");
        AssertRefused(await scim.PostAsync("/.search", SearchBody((parameter, JsonValue.Create(value)))), scimType, parameter, "root .search");
    }

    [Fact]
    public async Task Attribute_selection_on_a_single_resource_is_checked_the_same_way()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var user = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = "single@example.test" })).Expect(HttpStatusCode.Created);

        AssertRefused(await scim.GetAsync($"/Users/{user.Id}?attributes={Uri.EscapeDataString("user name")}"), "invalidValue", "attributes", "GET one");
        AssertRefused(await scim.GetAsync($"/Users/{user.Id}?excludedAttributes={Uri.EscapeDataString("a,,b..c")}"), "invalidValue", "excludedAttributes", "GET one");
        // A well-formed name of no known attribute selects nothing, as RFC 7644 §3.4.2.5 leaves it.
        (await scim.GetAsync($"/Users/{user.Id}?attributes=shoeSize")).Expect(HttpStatusCode.OK);
    }

    [Fact]
    public async Task Combinations_that_cannot_hold_are_refused_alike()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        AssertRefused(await scim.GetAsync("/Users?cursor=&startIndex=1"), "invalidValue", "cursor", "GET");
        AssertRefused(await scim.PostAsync("/Users/.search", SearchBody(("cursor", ""), ("startIndex", 1))), "invalidValue", "cursor", ".search");
        AssertRefused(await scim.GetAsync("/Groups?cursor=&sortBy=displayName"), "invalidValue", "sortBy", "GET");
        AssertRefused(await scim.PostAsync("/Groups/.search", SearchBody(("cursor", ""), ("sortBy", "displayName"))), "invalidValue", "sortBy", ".search");
        AssertRefused(await scim.PostAsync("/Users/.search", SearchBody(("count", true))), "invalidValue", "count", ".search");
        AssertRefused(await scim.PostAsync("/Users/.search", SearchBody(("attributes", new JsonArray(1)))), "invalidValue", "attributes", ".search");
        AssertRefused(await scim.PostAsync("/.search", SearchBody(("cursor", ""), ("startIndex", 1))), "invalidValue", "cursor", "root .search");
        AssertRefused(await scim.PostAsync("/.search", SearchBody(("cursor", ""), ("sortBy", "displayName"))), "invalidValue", "sortBy", "root .search");
        AssertRefused(await scim.PostAsync("/.search", SearchBody(("count", true))), "invalidValue", "count", "root .search");
        AssertRefused(await scim.PostAsync("/.search", SearchBody(("attributes", new JsonArray(1)))), "invalidValue", "attributes", "root .search");
    }

    [Fact]
    public async Task Root_search_pages_one_type_exactly_as_that_type_s_own_search_does()
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        for (var i = 0; i < 5; i++)
        {
            var id = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"root{i}@example.test", ["title"] = $"T{i}" })).Expect(HttpStatusCode.Created).Id;
            (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = $"Root {i}", ["members"] = ScimClient.MemberList(id) })).Expect(HttpStatusCode.Created);
        }

        // A filter only users can match: the root page is the users' page, each resource marked with its type.
        async Task Same(params (string Name, JsonNode? Value)[] parameters)
        {
            var withFilter = parameters.Append(("filter", JsonValue.Create("userName sw \"root\""))).ToArray();
            (string, JsonNode?)[] Copy() => [.. withFilter.Select(p => (p.Item1, p.Item2?.DeepClone()))];
            var typed = (await scim.PostAsync("/Users/.search", SearchBody(Copy()))).Expect(HttpStatusCode.OK).Body!;
            var root = (await scim.PostAsync("/.search", SearchBody(Copy()))).Expect(HttpStatusCode.OK).Body!;
            var how = string.Join("&", parameters.Select(p => $"{p.Name}={p.Value?.ToJsonString()}"));
            foreach (var field in new[] { "totalResults", "startIndex", "itemsPerPage" })
            {
                Assert.True(typed[field]?.ToJsonString() == root[field]?.ToJsonString(), $"{how}: {field} {typed[field]} by type, {root[field]} at the root");
            }
            var typedResources = typed["Resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
            var rootResources = root["Resources"]!.AsArray().Select(r => r!.AsObject()).ToList();
            Assert.All(rootResources, r => Assert.Equal("User", r["meta"]!["resourceType"]!.GetValue<string>()));
            // Beyond the type marks the root adds, the same resources with the same attributes.
            static string WithoutMeta(JsonObject resource)
            {
                var copy = resource.DeepClone().AsObject();
                copy.Remove("meta");
                return copy.ToJsonString();
            }
            Assert.Equal(typedResources.Select(WithoutMeta), rootResources.Select(WithoutMeta));
        }

        await Same(("sortBy", "userName"), ("sortOrder", "descending"), ("startIndex", 2), ("count", 2), ("attributes", new JsonArray("title", "userName")));
        await Same(("sortBy", "userName"), ("sortOrder", "DESCENDING"), ("startIndex", "-4"), ("count", -1));
        await Same(("count", 10_000_000_000), ("excludedAttributes", "groups"));
        await Same(("startIndex", 4), ("count", 3), ("excludedAttributes", new JsonArray("emails")));
    }

    [Theory]
    [InlineData("Users", "userName", "title,userName", "emails")]
    [InlineData("Groups", "displayName", "displayName", "members")]
    public async Task The_same_parameters_give_the_same_page_by_query_and_by_search_body(string type, string sortBy, string attributes, string excluded)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var users = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            users.Add((await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"same{i}@example.test", ["title"] = $"T{i}", ["emails"] = new JsonArray(new JsonObject { ["value"] = $"same{i}@example.test" }) })).Expect(HttpStatusCode.Created).Id);
            (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = $"Same {i}", ["members"] = ScimClient.MemberList(users[i]) })).Expect(HttpStatusCode.Created);
        }

        async Task Same(string query, JsonObject body)
        {
            var byQuery = (await scim.GetAsync($"/{type}?{query}")).Expect(HttpStatusCode.OK).Body!;
            var byBody = (await scim.PostAsync($"/{type}/.search", body)).Expect(HttpStatusCode.OK).Body!;
            Assert.Equal(byQuery.ToJsonString(), byBody.ToJsonString());
        }

        await Same($"sortBy={sortBy}&sortOrder=descending&startIndex=2&count=2&attributes={attributes}",
            SearchBody(("sortBy", sortBy), ("sortOrder", "descending"), ("startIndex", 2), ("count", 2), ("attributes", new JsonArray([.. attributes.Split(',').Select(a => (JsonNode?)a)]))));
        await Same($"sortBy={sortBy}&sortOrder=DESCENDING&startIndex=-4&count=-1",
            SearchBody(("sortBy", sortBy), ("sortOrder", "DESCENDING"), ("startIndex", "-4"), ("count", -1)));
        // A count beyond 32 bits is read as "as many as allowed" in both forms.
        await Same($"count=10000000000&excludedAttributes={excluded}", SearchBody(("count", 10_000_000_000), ("excludedAttributes", excluded)));

        var firstByQuery = (await scim.GetAsync($"/{type}?cursor=&count=2&excludedAttributes={excluded}")).Expect(HttpStatusCode.OK).Body!;
        var firstByBody = (await scim.PostAsync($"/{type}/.search", SearchBody(("cursor", ""), ("count", 2), ("excludedAttributes", new JsonArray(excluded))))).Expect(HttpStatusCode.OK).Body!;
        Assert.Equal(firstByQuery.ToJsonString(), firstByBody.ToJsonString());
        var next = firstByQuery["nextCursor"]!.GetValue<string>();
        await Same($"cursor={Uri.EscapeDataString(next)}&count=2", SearchBody(("cursor", next), ("count", 2)));
    }
}
