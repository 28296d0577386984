using System.Text.Json.Nodes;

namespace ScimFunctions.Tests.Functions.Errors.FaultMatrix;

/// <summary>Every write route of the SCIM and management APIs, each arranged in a directory of its own.</summary>
public static class WriteRoutes
{
    private static readonly HttpMethod Patch = HttpMethod.Patch;

    /// <summary>Users a large replace adds: with the one it removes, 23 units, more than commit with the document
    /// (22) and few enough for one member transaction with or without a waiver (24 or 32), so the change rows'
    /// split does not depend on the group's age.</summary>
    private const int LargeChange = 22;

    /// <summary>Users a large add names: one more than a member transaction holds (24), so it takes two and records
    /// itself in the first.</summary>
    private const int LargeAdd = 25;

    public static readonly IReadOnlyList<WriteRoute> All =
    [
        new("UserCreate", 4, c => c.NewDirectoryAsync(),
            c => c.ScimAsync(HttpMethod.Post, "/Users", new JsonObject { ["userName"] = "alice", ["externalId"] = "ext-alice" })),
        new("UserReplace", 6, async c => { await c.NewDirectoryAsync(); await c.CreateUserAsync("user", "alice"); },
            c => c.ScimAsync(HttpMethod.Put, $"/Users/{c["user"]}", new JsonObject { ["userName"] = "alice2", ["externalId"] = "ext-alice2", ["active"] = false })),
        new("UserPatch", 4, async c => { await c.NewDirectoryAsync(); await c.CreateUserAsync("user", "alice"); },
            c => c.ScimAsync(Patch, $"/Users/{c["user"]}", RouteContext.Patch(new JsonObject { ["op"] = "replace", ["path"] = "active", ["value"] = false }))),
        new("UserDelete", 7, async c => { await c.NewDirectoryAsync(); await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice")); },
            c => c.ScimAsync(HttpMethod.Delete, $"/Users/{c["user"]}")),
        new("GroupCreate", 3, async c => { await c.NewDirectoryAsync(); await c.CreateUserAsync("user", "alice"); },
            c => c.ScimAsync(HttpMethod.Post, "/Groups", new JsonObject { ["displayName"] = "team", ["members"] = RouteContext.Members(c["user"]) })),
        new("GroupReplace", 10, async c =>
            {
                await c.NewDirectoryAsync();
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
                await c.CreateUserAsync("other", "bob");
            },
            c => c.ScimAsync(HttpMethod.Put, $"/Groups/{c["group"]}", new JsonObject { ["displayName"] = "team2", ["members"] = RouteContext.Members(c["other"]) })),
        new("GroupReplaceLarge", 33, async c =>
            {
                await c.NewDirectoryAsync();
                for (var i = 0; i < LargeChange; i++) await c.CreateUserAsync($"other{i}", $"bob{i}");
                // The group last, just before the route, as the other group routes: young enough for no waiver.
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
            },
            c => c.ScimAsync(HttpMethod.Put, $"/Groups/{c["group"]}", new JsonObject
            {
                ["displayName"] = "team2",
                ["members"] = RouteContext.Members([.. Enumerable.Range(0, LargeChange).Select(i => c[$"other{i}"])]),
            }))
        {
            FinishedBySweep = "more members change than the document's transaction holds: it records the change, which the sweep finishes",
        },
        new("GroupRename", 6, async c => { await c.NewDirectoryAsync(); await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice")); },
            c => c.ScimAsync(Patch, $"/Groups/{c["group"]}", RouteContext.Patch(new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "team2" }))),
        new("GroupAddMember", 5, async c =>
            {
                await c.NewDirectoryAsync();
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
                await c.CreateUserAsync("other", "bob");
            },
            c => c.ScimAsync(Patch, $"/Groups/{c["group"]}", RouteContext.Patch(new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = RouteContext.Members(c["other"]) }))),
        new("GroupAddMembersLarge", 31, async c =>
            {
                await c.NewDirectoryAsync();
                for (var i = 0; i < LargeAdd; i++) await c.CreateUserAsync($"other{i}", $"bob{i}");
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
            },
            c => c.ScimAsync(Patch, $"/Groups/{c["group"]}", RouteContext.Patch(new JsonObject
            {
                ["op"] = "add",
                ["path"] = "members",
                ["value"] = RouteContext.Members([.. Enumerable.Range(0, LargeAdd).Select(i => c[$"other{i}"])]),
            })))
        {
            FinishedBySweep = "more members join than one transaction holds: the first records the change, which the sweep finishes",
        },
        new("GroupRenameAndAddMember", 9, async c =>
            {
                await c.NewDirectoryAsync();
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
                await c.CreateUserAsync("other", "bob");
            },
            c => c.ScimAsync(Patch, $"/Groups/{c["group"]}", RouteContext.Patch(
                new JsonObject { ["op"] = "replace", ["path"] = "displayName", ["value"] = "team2" },
                new JsonObject { ["op"] = "add", ["path"] = "members", ["value"] = RouteContext.Members(c["other"]) }))),
        new("GroupRemoveMember", 4, async c => { await c.NewDirectoryAsync(); await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice")); },
            c => c.ScimAsync(Patch, $"/Groups/{c["group"]}", RouteContext.Patch(new JsonObject { ["op"] = "remove", ["path"] = $"members[value eq \"{c["user"]}\"]" }))),
        new("GroupDelete", 8, async c => { await c.NewDirectoryAsync(); await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice")); },
            c => c.ScimAsync(HttpMethod.Delete, $"/Groups/{c["group"]}")),
        new("DirectoryCreate", 1, _ => Task.CompletedTask,
            c => c.ManageAsync(HttpMethod.Post, "/manage/directories", new JsonObject { ["displayName"] = c.Tag, ["provider"] = "EntraId" })),
        new("DirectoryDelete", 7, async c => { await c.NewDirectoryAsync(); await c.CreateUserAsync("user", "alice"); },
            c => c.ManageAsync(HttpMethod.Delete, $"/manage/directories/{c.DirectoryId}")),
        new("TokenMint", 6, c => c.NewDirectoryAsync(),
            c => c.ManageAsync(HttpMethod.Post, $"/manage/directories/{c.DirectoryId}/tokens", new JsonObject { ["label"] = "second" })),
        new("TokenRevoke", 6, async c =>
            {
                await c.NewDirectoryAsync();
                var minted = await c.ManageAsync(HttpMethod.Post, $"/manage/directories/{c.DirectoryId}/tokens", new JsonObject { ["label"] = "second" });
                c.Ids["token"] = minted.Id;
            },
            c => c.ManageAsync(HttpMethod.Delete, $"/manage/directories/{c.DirectoryId}/tokens/{c["token"]}"))
        {
            Stepwise = "the hash is deleted first, so the token stops working at once, whatever fails after it",
        },
        new("RoleDefine", 3, c => c.NewDirectoryAsync(),
            c => c.ManageAsync(HttpMethod.Put, $"/manage/directories/{c.DirectoryId}/roles/editor", new JsonObject { ["displayName"] = "Editor" })),
        new("RoleDelete", 4, async c => { await c.NewDirectoryAsync(); await c.DefineRoleAsync("editor"); },
            c => c.ManageAsync(HttpMethod.Delete, $"/manage/directories/{c.DirectoryId}/roles/editor")),
        new("DefaultRoleSet", 4, async c => { await c.NewDirectoryAsync(); await c.DefineRoleAsync("viewer"); await c.CreateUserAsync("user", "alice"); },
            c => c.ManageAsync(HttpMethod.Put, $"/manage/directories/{c.DirectoryId}/default-role", new JsonObject { ["role"] = "viewer" })),
        new("MappingCreate", 5, async c =>
            {
                await c.NewDirectoryAsync();
                await c.DefineRoleAsync("editor");
                await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice"));
            },
            c => c.ManageAsync(HttpMethod.Post, $"/manage/directories/{c.DirectoryId}/role-mappings",
                new JsonObject { ["group"] = new JsonObject { ["id"] = c["group"] }, ["roles"] = new JsonArray("editor") })),
        new("MappingDelete", 5, async c =>
            {
                await c.NewDirectoryAsync();
                await c.DefineRoleAsync("editor");
                await c.MapGroupAsync("mapping", await c.CreateGroupAsync("group", "team", await c.CreateUserAsync("user", "alice")), "editor");
            },
            c => c.ManageAsync(HttpMethod.Delete, $"/manage/directories/{c.DirectoryId}/role-mappings/{c["mapping"]}")),
    ];

    public static WriteRoute Named(string name) => All.Single(route => route.Name == name);
}
