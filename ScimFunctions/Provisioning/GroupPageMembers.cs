using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// The members of a page of groups, within a budget of member values a page (<see cref="ScimLimits.MaxMembersPerPage"/>):
/// groups are taken in page order while their members fit, so a page may hold fewer groups than asked (RFC 7644
/// §3.4.2.4), and the first group is always taken whole, however large (its members past the budget stream while
/// the response is written). Member reads of the next few groups run in parallel; at most the budget of members
/// (plus one range read per group in flight) is held in memory.
/// </summary>
internal static class GroupPageMembers
{
    private const int ParallelReads = 8;

    /// <returns>The groups that fit, rendered with their members, a prefix of <paramref name="groups"/>.</returns>
    public static async Task<List<RenderedResource>> RenderAsync(ResourceRenderer renderer, ScimScope scope, IReadOnlyList<StoredResource> groups, AttributeSelection selection, int memberBudget, CancellationToken cancellationToken)
    {
        var rendered = new List<RenderedResource>();
        var started = new (IAsyncEnumerator<MembershipReference> Members, Task<bool> FirstMove)?[groups.Count];
        var nextToStart = 0;
        var remaining = memberBudget;
        try
        {
            for (var index = 0; index < groups.Count; index++)
            {
                for (; nextToStart < Math.Min(groups.Count, index + ParallelReads); nextToStart++)
                {
                    started[nextToStart] = renderer.StartMembers(scope, groups[nextToStart].Id, cancellationToken);
                }
                var (stream, firstMove) = started[index]!.Value;
                started[index] = null;
                var members = await StreamedMembers.ReadAsync(scope, selection, stream, firstMove, headLimit: index == 0 ? memberBudget : remaining);
                if (index > 0 && members.HasTail)
                {
                    // This group's members do not fit what is left of the budget: the page ends before it.
                    await members.DisposeAsync();
                    break;
                }
                remaining -= members.Head.Count;
                rendered.Add(ResourceRenderer.WithMembers(ResourceRenderer.Render(scope, ScimResourceType.Group, groups[index], null, selection), members));
                if (members.HasTail) break;
            }
        }
        catch
        {
            foreach (var resource in rendered) await (resource.Members?.DisposeAsync() ?? ValueTask.CompletedTask);
            throw;
        }
        finally
        {
            foreach (var pending in started)
            {
                if (pending is not { } read) continue;
                try
                {
                    await read.FirstMove;
                }
                catch
                {
                    // A read started ahead for a group that is not on the page: its failure does not matter.
                }
                await read.Members.DisposeAsync();
            }
        }
        return rendered;
    }
}
