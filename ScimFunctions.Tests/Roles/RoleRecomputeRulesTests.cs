using System.Collections.Concurrent;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using ScimFunctions.Roles;
using ScimFunctions.Storage;

namespace ScimFunctions.Tests.Roles;

/// <summary>The recompute's rules over in-memory rows: what a user holds, when a change is written and logged,
/// and that a lost race starts over from fresh reads. No storage: the rules depend only on the roles interfaces.</summary>
public sealed class RoleRecomputeRulesTests
{
    private const string Directory = "rules";
    private static readonly CancellationToken None = CancellationToken.None;

    private static readonly RoleConfiguration Configuration = new(
        new Dictionary<string, RoleDefinition>
        {
            ["admin"] = new("admin", "Admin", null),
            ["editor"] = new("editor", "Editor", null),
            ["viewer"] = new("viewer", "Viewer", null),
        },
        "viewer",
        [
            new GroupRoleMapping(GroupMatch.Id, "g-engineering", ["editor", "admin"]),
            new GroupRoleMapping(GroupMatch.DisplayName, "Sales", ["viewer", "ghost"]),
        ]);

    [Fact]
    public async Task Mapped_roles_unite_the_default_fills_in_for_no_mapped_group_and_inactive_or_gone_users_hold_none()
    {
        var rows = new InMemoryRecomputeRows();
        var (mapped, both, unmapped, inactive, gone) = (Id(1), Id(2), Id(3), Id(4), Id(5));
        rows.Users[mapped] = new RecomputeInputs(true, ["g-engineering"]);
        rows.Users[both] = new RecomputeInputs(true, ["g-engineering", "g-sales"]);
        rows.Users[unmapped] = new RecomputeInputs(true, ["g-unmapped"]);
        rows.Users[inactive] = new RecomputeInputs(false, ["g-engineering"]);
        rows.Assignments[gone] = new StoredAssignment(["editor"], 4, "v1");
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 8, 0, 0, TimeSpan.Zero));

        var outcome = await Recomputer(rows, time).RecomputeAsync(Directory, [mapped, both, unmapped, inactive, gone, "not-an-id"], None);

        Assert.Equal(new RecomputeOutcome(5, 4), outcome); // the inactive user had none and still has none
        Assert.Equal(["admin", "editor"], rows.Assignments[mapped].Roles);
        Assert.Equal(["admin", "editor", "viewer"], rows.Assignments[both].Roles); // undefined "ghost" never assigned
        Assert.Equal(["viewer"], rows.Assignments[unmapped].Roles);
        Assert.Empty(rows.Assignments[inactive].Roles);
        Assert.False(rows.Assignments.ContainsKey(gone));
        var removal = rows.Commits.Single(c => c.UserId == gone);
        Assert.True(removal.UserGone && removal.LogChange);
        Assert.All(rows.Commits, c => Assert.Equal(time.GetUtcNow(), c.At));
    }

    [Fact]
    public async Task The_version_grows_only_when_the_set_changes_and_an_unchanged_user_with_nothing_pending_writes_nothing()
    {
        var rows = new InMemoryRecomputeRows();
        var user = Id(1);
        rows.Users[user] = new RecomputeInputs(true, ["g-engineering"]);
        var recomputer = Recomputer(rows, new FakeTimeProvider());

        await recomputer.RecomputeAsync(Directory, [user], None);
        Assert.Equal(1, rows.Assignments[user].Version);
        Assert.Equal(new RecomputeOutcome(1, 0), await recomputer.RecomputeAsync(Directory, [user], None));
        Assert.Single(rows.Commits);

        rows.Pending.Add(user); // a change that leaves the roles alone still clears its outbox row, unlogged
        Assert.Equal(new RecomputeOutcome(1, 0), await recomputer.RecomputeAsync(Directory, [user], None));
        Assert.Equal(1, rows.Assignments[user].Version);
        Assert.False(rows.Commits[^1].LogChange);
        Assert.Empty(rows.Pending);

        rows.Users[user] = new RecomputeInputs(true, []);
        Assert.Equal(new RecomputeOutcome(1, 1), await recomputer.RecomputeAsync(Directory, [user], None));
        Assert.Equal(["viewer"], rows.Assignments[user].Roles);
        Assert.Equal(2, rows.Assignments[user].Version);
        Assert.True(rows.Commits[^1].LogChange);
    }

    [Fact]
    public async Task A_lost_race_is_recomputed_from_fresh_reads()
    {
        var rows = new InMemoryRecomputeRows { LoseNextCommits = 2 };
        var user = Id(1);
        rows.Users[user] = new RecomputeInputs(true, ["g-engineering"]);

        var outcome = await Recomputer(rows, new FakeTimeProvider()).RecomputeAsync(Directory, [user], None);

        Assert.Equal(new RecomputeOutcome(1, 1), outcome);
        Assert.Equal(3, rows.GuardReads);
        Assert.Equal(["admin", "editor"], rows.Assignments[user].Roles);
    }

    private static RoleRecomputer Recomputer(InMemoryRecomputeRows rows, TimeProvider time) =>
        new(rows, new FixedRoleMap(), new RoleOptions(), time, NullLogger<RoleRecomputer>.Instance);

    private static string Id(int n) => n.ToString("x32");

    private sealed class FixedRoleMap : IRoleMapReader
    {
        public Task<ResolvedRoleMap> ReadMapAsync(string directoryId, CancellationToken cancellationToken) =>
            Task.FromResult(new ResolvedRoleMap(Configuration, new Dictionary<string, string> { ["Sales"] = "g-sales" }));
    }

    private sealed class InMemoryRecomputeRows : IRoleRecomputeStore
    {
        private int version;
        private int guardReads;

        public ConcurrentDictionary<string, RecomputeInputs> Users { get; } = new();
        public ConcurrentDictionary<string, StoredAssignment> Assignments { get; } = new();
        public ConcurrentBag<string> Pending { get; } = [];
        public List<AssignmentChange> Commits { get; } = [];
        public int LoseNextCommits { get; set; }
        public int GuardReads => guardReads;

        public Task<RecomputeGuard> ReadGuardAsync(string directoryId, string userId, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref guardReads);
            return Task.FromResult(new RecomputeGuard(Pending.Contains(userId) ? "outbox" : null, Assignments.GetValueOrDefault(userId)));
        }

        public Task<RecomputeInputs> ReadInputsAsync(string directoryId, string userId, CancellationToken cancellationToken) =>
            Task.FromResult(Users.GetValueOrDefault(userId) ?? new RecomputeInputs(null, []));

        public Task<bool> TryCommitAsync(string directoryId, RecomputeGuard guard, AssignmentChange change, CancellationToken cancellationToken)
        {
            lock (Commits)
            {
                if (LoseNextCommits > 0)
                {
                    LoseNextCommits--;
                    return Task.FromResult(false);
                }
                Commits.Add(change);
                if (change.UserGone) Assignments.TryRemove(change.UserId, out _);
                else Assignments[change.UserId] = new StoredAssignment(change.Wanted, change.Version, $"v{++version}");
                if (guard.OutboxVersion is not null) Pending.Clear();
                return Task.FromResult(true);
            }
        }
    }
}
