using System.Text.Json.Nodes;
using ScimFunctions.Scim;

namespace ScimFunctions.Provisioning.Bulk;

/// <summary>
/// <c>POST {base}/Bulk</c> (RFC 7644 §3.7). The operations run one after another, in <see cref="BulkSchedule"/>
/// order, each through the very command of its single-resource route (same validation, storage round trips,
/// change-log and outbox rows); they share no transaction, so what finished stays done whatever fails later.
/// A failed operation reports the status its own route would have answered; after <c>failOnErrors</c> failures
/// nothing more runs, and the response lists the operations that ran, in the order they ran.
/// </summary>
public sealed class BulkCommand(
    CreateUserCommand createUser, ReplaceUserCommand replaceUser, PatchUserCommand patchUser, DeleteUserCommand deleteUser,
    CreateGroupCommand createGroup, ReplaceGroupCommand replaceGroup, PatchGroupCommand patchGroup, DeleteGroupCommand deleteGroup)
{
    public const string ResponseSchema = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

    /// <param name="failureOf">How an exception of an operation is reported (as its own route would answer it).</param>
    public async Task<JsonObject> ExecuteAsync(ScimScope scope, BulkRequest request, Func<Exception, BulkFailure> failureOf, CancellationToken cancellationToken)
    {
        var schedule = new BulkSchedule(request.Operations);
        var created = new Dictionary<string, string>(StringComparer.Ordinal);
        var results = new List<BulkOperationResult>();
        var errors = 0;
        while (schedule.HasPending && (request.FailOnErrors is not { } limit || errors < limit))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (ready, cycle) = schedule.Next();
            var batch = ready is null
                ? cycle.Select(operation => Failed(operation, CycleFailure(cycle))).ToList()
                : [await RunAsync(scope, ready, schedule, created, failureOf, cancellationToken)];
            foreach (var result in batch)
            {
                schedule.Done(result.Operation);
                results.Add(result);
                if (result.Failure is not null) errors++;
                if (errors == request.FailOnErrors) break;
            }
        }
        var operations = new JsonArray();
        foreach (var result in results) operations.Add(result.ToJson());
        return new JsonObject { ["schemas"] = new JsonArray(ResponseSchema), ["Operations"] = operations };
    }

    private async Task<BulkOperationResult> RunAsync(ScimScope scope, BulkOperation operation, BulkSchedule schedule,
        Dictionary<string, string> created, Func<Exception, BulkFailure> failureOf, CancellationToken cancellationToken)
    {
        var references = schedule.ReferencesOf(operation);
        if (references.FirstOrDefault(bulkId => !schedule.Defines(bulkId)) is { } unknown)
        {
            return Failed(operation, new BulkFailure(400, ScimErrorType.InvalidValue, $"\"{BulkReferences.Prefix}{unknown}\" names no POST operation of this request."));
        }
        if (references.FirstOrDefault(bulkId => !created.ContainsKey(bulkId)) is { } failed)
        {
            return Failed(operation, new BulkFailure(409, null, $"\"{BulkReferences.Prefix}{failed}\" cannot be resolved: the operation with bulkId \"{failed}\" failed."));
        }
        try
        {
            var result = await DispatchAsync(scope, operation, created, cancellationToken);
            if (operation is { Method: "POST", BulkId: { } bulkId } && result.Created is { } id) created[bulkId] = id;
            return result.Result;
        }
        catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
        {
            return Failed(operation, failureOf(exception));
        }
    }

    private async Task<(BulkOperationResult Result, string? Created)> DispatchAsync(ScimScope scope, BulkOperation operation, Dictionary<string, string> created, CancellationToken cancellationToken)
    {
        var (type, id) = Target(operation, created);
        var selection = AttributeSelection.All;
        var isUser = type == ScimResourceType.User;
        switch (operation.Method)
        {
            case "POST":
                if (id is not null) throw ScimException.InvalidPath($"A POST operation's path is \"{type.Schema.Endpoint}\", without an id.");
                if (operation.BulkId is null) throw ScimException.InvalidSyntax("A POST operation needs a bulkId.");
                var body = Data(operation, created);
                var resource = isUser
                    ? await createUser.ExecuteAsync(scope, body, selection, cancellationToken)
                    : await createGroup.ExecuteAsync(scope, body, selection, cancellationToken);
                return (new BulkOperationResult(operation, 201, resource.Location, resource.Version, null), resource.Id);
            case "PUT":
                var replaced = isUser
                    ? await replaceUser.ExecuteAsync(scope, Id(operation, type, id), Data(operation, created), operation.Version, selection, cancellationToken)
                    : await replaceGroup.ExecuteAsync(scope, Id(operation, type, id), Data(operation, created), operation.Version, selection, cancellationToken);
                return (new BulkOperationResult(operation, 200, replaced.Location, replaced.Version, null), null);
            case "PATCH":
                // No body is sent back for a bulk PATCH, so none is rendered (a group's members are not read); the
                // status is 200, as in RFC 7644 §3.7's examples.
                var patched = isUser
                    ? await patchUser.ExecuteAsync(scope, Id(operation, type, id), Data(operation, created), operation.Version, selection, returnBody: false, cancellationToken)
                    : await patchGroup.ExecuteAsync(scope, Id(operation, type, id), Data(operation, created), operation.Version, selection, returnBody: false, cancellationToken);
                return (new BulkOperationResult(operation, 200, patched.Location, patched.Version, null), null);
            case "DELETE":
                var target = Id(operation, type, id);
                if (isUser) await deleteUser.ExecuteAsync(scope, target, operation.Version, cancellationToken);
                else await deleteGroup.ExecuteAsync(scope, target, operation.Version, cancellationToken);
                return (new BulkOperationResult(operation, 204, scope.LocationOf(type, target), null, null), null);
            default:
                throw ScimException.InvalidValue($"Operation {operation.Index + 1}: method must be POST, PUT, PATCH or DELETE, not \"{operation.Method}\".");
        }
    }

    /// <summary>The resource type and id (references resolved) of <c>/Users</c>, <c>/Groups/{id}</c> and so on.</summary>
    private static (ScimResourceType Type, string? Id) Target(BulkOperation operation, Dictionary<string, string> created)
    {
        if (operation.Method is not ("POST" or "PUT" or "PATCH" or "DELETE"))
        {
            throw ScimException.InvalidValue($"Operation {operation.Index + 1}: method must be POST, PUT, PATCH or DELETE, not \"{operation.Method}\".");
        }
        var segments = (operation.Path ?? "").Trim().Trim('/').Split('/');
        var type = segments[0] switch
        {
            var name when name.Equals("Users", StringComparison.OrdinalIgnoreCase) => ScimResourceType.User,
            var name when name.Equals("Groups", StringComparison.OrdinalIgnoreCase) => ScimResourceType.Group,
            _ => null,
        };
        if (type is null || segments.Length > 2 || segments.Length == 2 && segments[1].Length == 0)
        {
            throw ScimException.InvalidPath($"Operation {operation.Index + 1}: path must be /Users, /Groups, /Users/{{id}} or /Groups/{{id}}, not \"{operation.Path}\".");
        }
        return (type, segments.Length == 2 ? BulkReferences.ResolveId(segments[1], created) : null);
    }

    private static string Id(BulkOperation operation, ScimResourceType type, string? id) =>
        id ?? throw ScimException.InvalidPath($"Operation {operation.Index + 1}: a {operation.Method} names the resource in its path, {type.Schema.Endpoint}/{{id}}.");

    private static JsonObject Data(BulkOperation operation, Dictionary<string, string> created) =>
        BulkReferences.Resolve(operation.Data, created) as JsonObject
        ?? throw ScimException.InvalidSyntax($"Operation {operation.Index + 1}: a {operation.Method} needs \"data\", a JSON object.");

    private static BulkFailure CycleFailure(IReadOnlyList<BulkOperation> cycle)
    {
        var names = cycle.Select(operation => operation.BulkId ?? $"operation {operation.Index + 1}").Append(cycle[0].BulkId ?? $"operation {cycle[0].Index + 1}");
        return new BulkFailure(409, null, $"These operations' bulkId references form a cycle ({string.Join(" → ", names)}), so none of them can run first. Create the resources without the references, then add them with PATCH operations.");
    }

    private static BulkOperationResult Failed(BulkOperation operation, BulkFailure failure) =>
        new(operation, failure.Status, null, null, failure);
}
