using System.Text.Json;
using System.Text.Json.Nodes;
using ScimFunctions.Scim;
using ScimFunctions.Storage;

namespace ScimFunctions.Provisioning;

/// <summary>
/// A group's <c>members</c> as a response writes them: the members already read (<see cref="Head"/>), then, when
/// the group holds more, the rest straight from the member rows while the body is written, so memory does not
/// grow with the group. <see cref="Tail"/>, when set, is positioned on the first member not in the head.
/// </summary>
public sealed class StreamedMembers : IAsyncDisposable
{
    /// <summary>Members between two flushes of the response: about 200 KiB of JSON.</summary>
    private const int MembersPerFlush = 1000;

    private readonly ScimScope _scope;
    private readonly AttributeSelection _selection;
    private IAsyncEnumerator<MembershipReference>? _tail;

    private StreamedMembers(ScimScope scope, AttributeSelection selection, List<MembershipReference> head, IAsyncEnumerator<MembershipReference>? tail)
    {
        _scope = scope;
        _selection = selection;
        Head = head;
        _tail = tail;
    }

    public IReadOnlyList<MembershipReference> Head { get; }
    public bool HasTail => _tail is not null;
    public bool IsEmpty => Head.Count == 0 && _tail is null;

    /// <summary>Reads up to <paramref name="headLimit"/> members of a stream whose first step is
    /// <paramref name="firstMove"/>; the rest stays in the stream for the writer.</summary>
    public static async Task<StreamedMembers> ReadAsync(ScimScope scope, AttributeSelection selection, IAsyncEnumerator<MembershipReference> members, Task<bool> firstMove, int headLimit)
    {
        var head = new List<MembershipReference>();
        try
        {
            var more = await firstMove;
            while (more && head.Count < headLimit)
            {
                head.Add(members.Current);
                more = await members.MoveNextAsync();
            }
            if (more) return new StreamedMembers(scope, selection, head, members);
        }
        catch
        {
            await members.DisposeAsync();
            throw;
        }
        await members.DisposeAsync();
        return new StreamedMembers(scope, selection, head, null);
    }

    /// <summary>Writes <c>"members": [...]</c> into the open object, or nothing when no member is selected.</summary>
    public async Task WriteAsync(Utf8JsonWriter writer, CancellationToken cancellationToken)
    {
        var attribute = ScimResourceType.Group.MembershipAttribute;
        var written = 0;
        async Task WriteOne(MembershipReference member)
        {
            if (Item(member) is not { } item) return;
            if (written == 0)
            {
                writer.WritePropertyName(attribute);
                writer.WriteStartArray();
            }
            item.WriteTo(writer);
            if (++written % MembersPerFlush == 0) await writer.FlushAsync(cancellationToken);
        }

        foreach (var member in Head) await WriteOne(member);
        if (_tail is { } tail)
        {
            do await WriteOne(tail.Current);
            while (await tail.MoveNextAsync());
        }
        if (written > 0) writer.WriteEndArray();
        await DisposeAsync();
    }

    /// <summary>Every member, for callers that need the whole value in memory (webhook payloads, use-case tests).</summary>
    public async Task<JsonArray> ToArrayAsync()
    {
        var items = new JsonArray();
        foreach (var member in Head) Add(items, member);
        if (_tail is { } tail)
        {
            do Add(items, tail.Current);
            while (await tail.MoveNextAsync());
        }
        await DisposeAsync();
        return items;
    }

    public async ValueTask DisposeAsync()
    {
        var tail = _tail;
        _tail = null;
        if (tail is not null) await tail.DisposeAsync();
    }

    private void Add(JsonArray items, MembershipReference member)
    {
        if (Item(member) is { } item) items.Add(item);
    }

    /// <summary>The member as the selection shows it (<c>members.value</c> keeps only the value); null when nothing of it is selected.</summary>
    private JsonObject? Item(MembershipReference member)
    {
        var item = ResourceRenderer.Reference(member, "User", _scope.LocationOf(ScimResourceType.User, member.Id));
        if (_selection.Attributes.Count == 0 && _selection.ExcludedAttributes.Count == 0) return item;
        var attribute = ScimResourceType.Group.MembershipAttribute;
        var projected = Projection.Apply(new JsonObject { [attribute] = new JsonArray(item) }, _selection.Attributes, _selection.ExcludedAttributes, ScimResourceType.Group.Schema);
        return projected[attribute] is JsonArray { Count: 1 } kept && kept[0] is JsonObject shown ? (JsonObject)shown.DeepClone() : null;
    }
}
