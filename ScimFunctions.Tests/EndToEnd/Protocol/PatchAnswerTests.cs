using System.Net;
using System.Text.Json.Nodes;
using static ScimFunctions.Tests.EndToEnd.ScimClient;

namespace ScimFunctions.Tests.EndToEnd.Protocol;

/// <summary>RFC 7644 §3.5.2: a PATCH answers 200 with the entire resource (subject to attributes /
/// excludedAttributes) or 204; a group answers 204 unless a representation is asked for.</summary>
public sealed class PatchAnswerTests(ScimHostFixture fixture) : IClassFixture<ScimHostFixture>
{
    private static void Prefer(HttpRequestMessage request, string preference) => request.Headers.TryAddWithoutValidation("Prefer", preference);

    private static JsonObject AddMembers(params string[] ids) => Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = MemberList(ids) });

    private static List<string> MemberIds(JsonNode group) =>
        group["members"]!.AsArray().Select(m => m!["value"]!.GetValue<string>()).Order().ToList();

    private static async Task<(ScimClient Scim, string[] Users, string Group)> GroupOfTwoAsync(ScimHostFixture fixture)
    {
        var scim = await fixture.NewDirectoryAsync("Okta");
        var users = new string[3];
        for (var i = 0; i < users.Length; i++)
        {
            users[i] = (await scim.PostAsync("/Users", new JsonObject { ["userName"] = $"patched{i}@example.test" })).Expect(HttpStatusCode.Created).Id;
        }
        var group = (await scim.PostAsync("/Groups", new JsonObject { ["displayName"] = "Patched", ["members"] = MemberList(users[0], users[1]) }))
            .Expect(HttpStatusCode.Created).Id;
        return (scim, users, group);
    }

    [Fact]
    public async Task A_group_patch_answers_204_with_the_new_etag_by_default()
    {
        var (scim, users, group) = await GroupOfTwoAsync(fixture);

        var patched = (await scim.PatchAsync($"/Groups/{group}", AddMembers(users[2]))).Expect(HttpStatusCode.NoContent);

        Assert.Null(patched.Body);
        var read = (await scim.GetAsync($"/Groups/{group}")).Expect(HttpStatusCode.OK);
        Assert.Equal(read.ETag, patched.ETag);
        Assert.Equal(users.Order().ToList(), MemberIds(read.Body!));
    }

    [Fact]
    public async Task Asking_for_a_representation_answers_200_with_the_entire_group_members_included()
    {
        var (scim, users, group) = await GroupOfTwoAsync(fixture);

        var patched = (await scim.PatchAsync($"/Groups/{group}", AddMembers(users[2]), r => Prefer(r, "return=representation"))).Expect(HttpStatusCode.OK);

        Assert.Equal(users.Order().ToList(), MemberIds(patched.Body!));
        Assert.Equal("Patched", patched.Body!["displayName"]!.GetValue<string>());
        Assert.Equal(group, patched.Body["id"]!.GetValue<string>());
        Assert.Equal("application/scim+json", patched.MediaType);
        var read = (await scim.GetAsync($"/Groups/{group}")).Expect(HttpStatusCode.OK);
        Assert.Equal(read.ETag, patched.ETag);
        Assert.Equal(read.Body!.ToJsonString(), patched.Body.ToJsonString());
    }

    [Fact]
    public async Task Selecting_attributes_answers_200_with_what_they_select()
    {
        var (scim, users, group) = await GroupOfTwoAsync(fixture);

        var named = (await scim.PatchAsync($"/Groups/{group}?attributes=displayName", AddMembers(users[2]))).Expect(HttpStatusCode.OK);
        Assert.Equal("Patched", named.Body!["displayName"]!.GetValue<string>());
        Assert.Null(named.Body["members"]);

        var allButMeta = (await scim.PatchAsync($"/Groups/{group}?excludedAttributes=meta",
            Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{users[0]}\"]" }))).Expect(HttpStatusCode.OK);
        Assert.Null(allButMeta.Body!["meta"]);
        Assert.Equal(users.Skip(1).Order().ToList(), MemberIds(allButMeta.Body));

        var valuesOnly = (await scim.PatchAsync($"/Groups/{group}?attributes=members.value", AddMembers(users[0]))).Expect(HttpStatusCode.OK);
        Assert.All(valuesOnly.Body!["members"]!.AsArray(), m => Assert.Equal(["value"], m!.AsObject().Select(p => p.Key)));
        Assert.Equal(users.Order().ToList(), MemberIds(valuesOnly.Body));
    }

    [Fact]
    public async Task Prefer_return_minimal_wins_over_a_selection()
    {
        var (scim, users, group) = await GroupOfTwoAsync(fixture);

        var patched = (await scim.PatchAsync($"/Groups/{group}?attributes=members", AddMembers(users[2]), r => Prefer(r, "return=minimal"))).Expect(HttpStatusCode.NoContent);

        Assert.Null(patched.Body);
        Assert.Equal((await scim.GetAsync($"/Groups/{group}")).ETag, patched.ETag);
    }

    [Fact]
    public async Task A_user_patch_answers_200_with_the_entire_user_groups_included_or_204_when_minimal()
    {
        var (scim, users, group) = await GroupOfTwoAsync(fixture);

        var patched = (await scim.PatchAsync($"/Users/{users[0]}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Lead" }))).Expect(HttpStatusCode.OK);
        Assert.Equal("Lead", patched.Body!["title"]!.GetValue<string>());
        Assert.Equal(group, patched.Body["groups"]![0]!["value"]!.GetValue<string>());
        var read = (await scim.GetAsync($"/Users/{users[0]}")).Expect(HttpStatusCode.OK);
        Assert.Equal(read.Body!.ToJsonString(), patched.Body.ToJsonString());
        Assert.Equal(read.ETag, patched.ETag);

        var minimal = (await scim.PatchAsync($"/Users/{users[0]}", Patch(new JsonObject { ["op"] = "replace", ["path"] = "title", ["value"] = "Head" }),
            r => Prefer(r, "return=minimal"))).Expect(HttpStatusCode.NoContent);
        Assert.Null(minimal.Body);
        Assert.Equal((await scim.GetAsync($"/Users/{users[0]}")).ETag, minimal.ETag);
    }
}
