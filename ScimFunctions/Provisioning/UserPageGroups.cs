using ScimFunctions.Provisioning.Ports;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// The <c>groups</c> of a page of users, within a budget of group values a page (<see cref="ScimLimits.MaxGroupsPerPage"/>),
/// as <see cref="GroupPageMembers"/> does for groups' members: users are taken in page order while their groups fit,
/// so a page may hold fewer users than asked (RFC 7644 §3.4.2.4), and the first user is always taken whole.
/// <para>
/// Reads: a page that holds every user between its first and last id (no filter, id order) reads all their
/// <c>memberOf</c> rows in one range, 1 read per 1,000 rows whatever the page's size, and stops once the budget
/// is passed. Any other page (a filter or <c>sortBy</c> leaves gaps whose rows a range would read for nothing)
/// reads each user's groups: 1 read per user (per 1,000 groups), 8 at a time, at most the page's size.
/// </para>
/// </summary>
internal static class UserPageGroups
{
    private const int ParallelReads = 8;

    /// <param name="pageHoldsEveryUserInItsSpan">whether no user sorts between two of the page's users without
    /// being on the page (an unfiltered page in id order); only then is one range over the span worth reading.</param>
    /// <returns>The users that fit, rendered with their groups, a prefix of <paramref name="users"/>.</returns>
    public static async Task<List<RenderedResource>> RenderAsync(IGroupMemberships memberships, ScimScope scope, IReadOnlyList<StoredResource> users, AttributeSelection selection, bool pageHoldsEveryUserInItsSpan, int groupBudget, CancellationToken cancellationToken)
    {
        if (users.Count == 0) return [];
        var groupsOfUsers = pageHoldsEveryUserInItsSpan && InIdOrder(users)
            ? await ReadSpanAsync(memberships, scope.DirectoryId, users, groupBudget, cancellationToken)
            : await ReadEachAsync(memberships, scope.DirectoryId, users, groupBudget, cancellationToken);
        return groupsOfUsers
            .Select((groups, index) => ResourceRenderer.Render(scope, ScimResourceType.User, users[index], ResourceRenderer.Groups(scope, groups), selection))
            .ToList();
    }

    /// <summary>One range over the page's <c>memberOf</c> rows; rows come in user order, so the first row of a
    /// user that would pass the budget ends the page before that user, and the read with it.</summary>
    private static async Task<List<List<MembershipReference>>> ReadSpanAsync(IGroupMemberships memberships, string directoryId, IReadOnlyList<StoredResource> users, int budget, CancellationToken cancellationToken)
    {
        var indexOf = new Dictionary<string, int>(users.Count, StringComparer.Ordinal);
        for (var index = 0; index < users.Count; index++) indexOf[users[index].Id] = index;
        var groups = users.Select(_ => new List<MembershipReference>()).ToList();
        var taken = 0;
        await foreach (var row in memberships.StreamGroupsOfUsersAsync(directoryId, users[0].Id, users[^1].Id, cancellationToken))
        {
            // A user deleted (its rows not yet cleaned up) or created since the page was read: not on the page.
            if (!indexOf.TryGetValue(row.UserId, out var index)) continue;
            // This user's groups would pass the budget: the page ends before it, and the read with it.
            if (index > 0 && taken >= budget) return Fitting(groups.GetRange(0, index), budget);
            groups[index].Add(row.Group);
            taken++;
        }
        return Fitting(groups, budget);
    }

    /// <summary>The first user whole, then users in page order while the page's groups stay within the budget
    /// (after a first user that passed it alone, no other: as <see cref="ReadEachAsync"/> takes them).</summary>
    private static List<List<MembershipReference>> Fitting(List<List<MembershipReference>> groups, int budget)
    {
        var sum = groups[0].Count;
        for (var index = 1; index < groups.Count; index++)
        {
            sum += groups[index].Count;
            if (sum > budget) return groups.GetRange(0, index);
        }
        return groups;
    }

    /// <summary>Each user's groups, read 8 users at a time in page order until a user does not fit.</summary>
    private static async Task<List<List<MembershipReference>>> ReadEachAsync(IGroupMemberships memberships, string directoryId, IReadOnlyList<StoredResource> users, int budget, CancellationToken cancellationToken)
    {
        var fitting = new List<List<MembershipReference>>();
        var taken = 0;
        for (var start = 0; start < users.Count; start += ParallelReads)
        {
            var reads = users.Skip(start).Take(ParallelReads)
                .Select(user => memberships.ListGroupsOfUserAsync(directoryId, user.Id, cancellationToken))
                .ToList();
            foreach (var groups in await Task.WhenAll(reads))
            {
                if (fitting.Count > 0 && taken + groups.Count > budget) return fitting;
                taken += groups.Count;
                fitting.Add([.. groups]);
            }
        }
        return fitting;
    }

    private static bool InIdOrder(IReadOnlyList<StoredResource> users)
    {
        for (var index = 1; index < users.Count; index++)
        {
            if (string.CompareOrdinal(users[index - 1].Id, users[index].Id) >= 0) return false;
        }
        return true;
    }
}
