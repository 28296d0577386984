using System.Net;
using System.Text.Json.Nodes;
using ScimFunctions.Functions.Management;
using ScimFunctions.Tests.Infra;
using ScimFunctions.Tests.TestSupport;

namespace ScimFunctions.Tests.Functions.Management;

/// <summary>
/// The OpenAPI document against the routes the build declares (functions.metadata): every /manage route and verb
/// is documented, under its function's name, and nothing documented is missing from the app; and the app serves it.
/// </summary>
public sealed class OpenApiDocumentTests
{
    private static readonly string[] Verbs = ["get", "put", "post", "delete", "patch"];

    private static JsonObject Document() => JsonNode.Parse(OpenApiFunction.Text)!.AsObject();

    private static IReadOnlyList<HttpTriggerRoute> ManageRoutes() =>
        [.. HttpTriggerRoute.LoadAll().Where(route => route.Template.StartsWith("manage/", StringComparison.Ordinal))];

    private static List<(string Path, string Verb, JsonObject Operation)> Operations() =>
        [.. Document()["paths"]!.AsObject().SelectMany(path => path.Value!.AsObject()
            .Where(member => Verbs.Contains(member.Key))
            .Select(member => (path.Key, member.Key, member.Value!.AsObject())))];

    [Fact]
    public void Every_manage_route_and_verb_is_documented_under_its_function_name()
    {
        var routes = ManageRoutes();
        Assert.Contains(routes, route => route.Function == "AppLookupUser"); // the metadata was read
        var operations = Operations();

        var missing = routes
            .Where(route => !operations.Any(op => op.Path == "/" + route.Template && op.Verb == route.Method.ToLowerInvariant()
                && op.Operation["operationId"]?.GetValue<string>() == route.Function))
            .Select(route => route.ToString()).ToList();
        Assert.True(missing.Count == 0, $"openapi.json does not document:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Every_documented_path_and_verb_is_a_route_of_the_app()
    {
        var routes = ManageRoutes();

        var unknown = Operations()
            .Where(op => !routes.Any(route => "/" + route.Template == op.Path && route.Method.ToLowerInvariant() == op.Verb))
            .Select(op => $"{op.Verb} {op.Path}").ToList();
        Assert.True(unknown.Count == 0, $"openapi.json documents routes the app does not have:\n{string.Join('\n', unknown)}");
    }

    [Fact]
    public void The_document_is_OpenAPI_3_its_path_parameters_are_declared_and_every_reference_resolves()
    {
        var document = Document();
        Assert.StartsWith("3.", document["openapi"]!.GetValue<string>());
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            var declared = item!["parameters"]?.AsArray().Select(p => p!["name"]!.GetValue<string>()).ToHashSet() ?? [];
            var inTemplate = path.Split('/').Where(s => s.StartsWith('{')).Select(s => s.Trim('{', '}')).ToHashSet();
            Assert.True(inTemplate.SetEquals(declared), $"{path}: path parameters {string.Join(",", declared)}");
        }
        var references = document.ToJsonString().Split("\"$ref\":\"").Skip(1).Select(rest => rest[..rest.IndexOf('"')]).Distinct().ToList();
        Assert.NotEmpty(references);
        Assert.All(references, reference =>
        {
            JsonNode? target = document;
            foreach (var part in reference.TrimStart('#', '/').Split('/')) target = target?[part];
            Assert.True(target is JsonObject, $"{reference} does not resolve");
        });
    }

    [Fact]
    public async Task The_app_serves_the_document_with_a_function_key_only()
    {
        await using var host = await RunningLocalHost.StartAsync(options => { options.RunTimers = false; options.RunQueueListeners = false; });

        using var anonymous = await host.Client.GetAsync("/manage/openapi.json");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/manage/openapi.json");
        request.Headers.Add("x-functions-key", host.FunctionKey);
        using var response = await host.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.True(JsonNode.DeepEquals(Document(), JsonNode.Parse(await response.Content.ReadAsStringAsync())));
    }
}
