using System.Net;
using System.Text.Json.Nodes;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.EndToEnd.ModelBased;

/// <summary>
/// Compares everything a directory answers with the model: users by id, by <c>userName eq</c> and paged both
/// ways (startIndex and cursor); groups by id and paged, members both ways; each user's roles once recomputes
/// have settled, every role's holder list, and the change feed. Each difference names the resource, so the
/// failure can print its history.
/// </summary>
public sealed class SyncComparer(ScimClient scim, ManagementApi api, SyncModel model)
{
    private const int PageSize = 7;

    public List<(string Key, string Difference)> Differences { get; } = [];

    public async Task CompareAsync()
    {
        var users = model.Users.ToDictionary(u => u.Id);
        var groups = model.Groups.ToDictionary(g => g.Id);
        await CompareUsersAsync(users, groups);
        await CompareGroupsAsync(groups);
        await CompareListsAsync("/Users", users.Keys);
        await CompareListsAsync("/Groups", groups.Keys);
        await CompareRolesAsync(users.Keys);
        await CompareFeedAsync(users);
    }

    private void Differ(string key, string difference) => Differences.Add((key, difference));

    private async Task CompareUsersAsync(Dictionary<string, ModelUser> users, Dictionary<string, ModelGroup> groups)
    {
        await Parallel.ForEachAsync(users.Values, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (user, _) =>
        {
            var read = await scim.GetAsync($"/Users/{user.Id}");
            if (read.Status != HttpStatusCode.OK) { lock (Differences) Differ(user.Id, $"GET /Users/{user.Id} answered {(int)read.Status}"); return; }
            var body = read.Body!;
            var expectedGroups = groups.Values.Where(g => g.Members.Contains(user.Id)).Select(g => g.Id).Order(StringComparer.Ordinal).ToList();
            var actual = (Name: body["userName"]?.GetValue<string>(), Display: body["displayName"]?.GetValue<string>(), Active: body["active"]?.GetValue<bool>(), Groups: Ids(body["groups"]));
            if (actual != (user.UserName, user.DisplayName, user.Active, string.Join(",", expectedGroups)))
            {
                lock (Differences) Differ(user.Id, $"user is {actual}, expected {(user.UserName, user.DisplayName, user.Active, string.Join(",", expectedGroups))}");
            }
            var byName = await scim.GetAsync("/Users?filter=" + ScimClient.Filter($"userName eq \"{user.UserName}\""));
            var found = byName.Body?["Resources"]?.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList() ?? [];
            if (found.Count != 1 || found[0] != user.Id) lock (Differences) Differ(user.Id, $"userName eq \"{user.UserName}\" found [{string.Join(",", found)}]");
        });
        foreach (var id in model.DeletedUsers)
        {
            var read = await scim.GetAsync($"/Users/{id}");
            if (read.Status != HttpStatusCode.NotFound) Differ(id, $"deleted user answered {(int)read.Status}");
        }
    }

    private async Task CompareGroupsAsync(Dictionary<string, ModelGroup> groups)
    {
        foreach (var group in groups.Values)
        {
            var read = await scim.GetAsync($"/Groups/{group.Id}");
            if (read.Status != HttpStatusCode.OK) { Differ(group.Id, $"GET /Groups/{group.Id} answered {(int)read.Status}"); continue; }
            var name = read.Body!["displayName"]?.GetValue<string>();
            var members = Ids(read.Body["members"]);
            var expected = string.Join(",", group.Members.Order(StringComparer.Ordinal));
            if (name != group.DisplayName || members != expected) Differ(group.Id, $"group is ('{name}', [{members}]), expected ('{group.DisplayName}', [{expected}])");
        }
        foreach (var id in model.DeletedGroups)
        {
            var read = await scim.GetAsync($"/Groups/{id}");
            if (read.Status != HttpStatusCode.NotFound) Differ(id, $"deleted group answered {(int)read.Status}");
        }
    }

    /// <summary>The whole list, once by startIndex pages and once by cursor pages: each id once, exactly the model's.</summary>
    private async Task CompareListsAsync(string resource, IEnumerable<string> expectedIds)
    {
        var expected = string.Join(",", expectedIds.Order(StringComparer.Ordinal));
        var byIndex = new List<string>();
        for (var start = 1; ; start += PageSize)
        {
            var page = (await scim.GetAsync($"{resource}?startIndex={start}&count={PageSize}&attributes=id")).Body!;
            var ids = page["Resources"]?.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList() ?? [];
            byIndex.AddRange(ids);
            if (ids.Count < PageSize || byIndex.Count >= page["totalResults"]!.GetValue<int>()) break;
        }
        var byCursor = new List<string>();
        string? cursor = "";
        while (cursor is not null)
        {
            var page = (await scim.GetAsync($"{resource}?cursor={Uri.EscapeDataString(cursor)}&count={PageSize}&attributes=id")).Body!;
            byCursor.AddRange(page["Resources"]?.AsArray().Select(r => r!["id"]!.GetValue<string>()) ?? []);
            cursor = page["nextCursor"]?.GetValue<string>();
        }
        foreach (var (how, ids) in new[] { ("startIndex", byIndex), ("cursor", byCursor) })
        {
            if (ids.Count != ids.Distinct().Count()) Differ(resource, $"{resource} paged by {how} repeats ids");
            var actual = string.Join(",", ids.Distinct().Order(StringComparer.Ordinal));
            if (actual != expected) Differ(resource, $"{resource} paged by {how}: [{actual}], expected [{expected}]");
        }
    }

    private async Task CompareRolesAsync(IEnumerable<string> userIds)
    {
        var holdersExpected = model.Roles.ToDictionary(r => r, _ => new SortedSet<string>(StringComparer.Ordinal));
        await Parallel.ForEachAsync(userIds, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (userId, _) =>
        {
            var expected = model.RolesOf(userId);
            lock (holdersExpected) foreach (var role in expected) holdersExpected[role].Add(userId);
            var body = await api.GetAsync($"/users/{userId}/roles");
            var actual = body["roles"]!.AsArray().Select(r => r!["key"]!.GetValue<string>()).ToList();
            if (!actual.SequenceEqual(expected) || body["pending"]!.GetValue<bool>())
            {
                lock (Differences) Differ(userId, $"roles [{string.Join(",", actual)}] pending {body["pending"]}, expected [{string.Join(",", expected)}] ({model.RoleConfigurationText()})");
            }
        });
        foreach (var (role, expected) in holdersExpected)
        {
            var holders = new List<string>();
            string? cursor = null;
            do
            {
                var page = await api.GetAsync($"/roles/{role}/users?count=50" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
                holders.AddRange(page["users"]!.AsArray().Select(u => u!["id"]!.GetValue<string>()));
                cursor = page["nextCursor"]?.GetValue<string>();
            } while (cursor is not null);
            foreach (var missing in expected.Except(holders)) Differ(missing, $"missing from the holders of '{role}'");
            foreach (var extra in holders.Except(expected)) Differ(extra, $"listed as a holder of '{role}' but should not hold it");
        }
    }

    /// <summary>The feed names only acknowledged resources (a refused write leaves no entry), shows every
    /// acknowledged create and delete, and each user's last Roles entry agrees with its roles.</summary>
    private async Task CompareFeedAsync(Dictionary<string, ModelUser> users)
    {
        var entries = new List<JsonNode>();
        string? cursor = null;
        while (true)
        {
            var page = await api.GetAsync("/changes?count=1000" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            entries.AddRange(page["changes"]!.AsArray()!.Select(c => c!));
            cursor = page["cursor"]!.GetValue<string>();
            if (!page["more"]!.GetValue<bool>()) break;
        }
        string Kind(JsonNode e) => e["kind"]!.GetValue<string>();
        string Op(JsonNode e) => e["op"]!.GetValue<string>();
        string Id(JsonNode e) => e["id"]!.GetValue<string>();

        foreach (var entry in entries.Where(e => Kind(e) is not ChangeLog.RolesKind and not ChangeLog.DirectoryKind))
        {
            if (!model.WasAcknowledged(Id(entry))) Differ(Id(entry), $"the feed names {Kind(entry)} {Id(entry)} ({Op(entry)}), which no request acknowledged");
            foreach (var added in entry["addedUserIds"]?.AsArray() ?? [])
            {
                if (!model.WasAcknowledged(added!.GetValue<string>())) Differ(added.GetValue<string>(), "the feed adds a member no request acknowledged");
            }
        }
        var created = entries.Where(e => Op(e) == ChangeLog.Created).Select(Id).ToHashSet();
        var deleted = entries.Where(e => Op(e) == ChangeLog.Deleted && Kind(e) != ChangeLog.RolesKind).Select(Id).ToHashSet();
        foreach (var id in users.Keys.Concat(model.Groups.Select(g => g.Id)).Where(id => !created.Contains(id))) Differ(id, "no 'created' entry in the feed");
        foreach (var id in model.DeletedUsers.Concat(model.DeletedGroups).Where(id => !deleted.Contains(id))) Differ(id, "no 'deleted' entry in the feed");

        var lastRoles = entries.Where(e => Kind(e) == ChangeLog.RolesKind).GroupBy(Id).ToDictionary(g => g.Key, g => Op(g.Last()));
        foreach (var user in users.Values)
        {
            var last = lastRoles.GetValueOrDefault(user.Id);
            if (model.RolesOf(user.Id).Count > 0 && last is null) Differ(user.Id, "holds roles but the feed has no Roles entry for it");
            if (last is not null && last != ChangeLog.Updated) Differ(user.Id, $"exists but its last Roles entry is '{last}'");
        }
        foreach (var id in model.DeletedUsers)
        {
            if (lastRoles.GetValueOrDefault(id) is { } last && last != ChangeLog.Deleted) Differ(id, $"deleted but its last Roles entry is '{last}'");
        }
    }

    private static string Ids(JsonNode? list) =>
        string.Join(",", (list?.AsArray() ?? []).Select(m => m!["value"]!.GetValue<string>()).Order(StringComparer.Ordinal));
}
