using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace ScimFunctions.Tests.Infra;

/// <summary>
/// scimfunctions.http holds a request for every route and verb the Functions host serves, each with the
/// credential its route takes, so the file stays a complete, working tour of the API as routes change.
/// </summary>
public class HttpRequestsFileTests
{
    private static readonly Regex VariableUse = new(@"\{\{(\w+)\}\}", RegexOptions.Compiled);

    private static HttpRequestsFile RequestsFile() => HttpRequestsFile.Parse(RepositoryFiles.Read(RepositoryFiles.HttpRequests));

    private static IReadOnlyList<HttpTriggerRoute> Routes() => HttpTriggerRoute.LoadAll();

    [Fact]
    public void Declares_the_variables_a_reader_sets()
    {
        var variables = RequestsFile().Variables;

        Assert.Equal("http://localhost:7071", variables["host"]);
        Assert.Contains("functionKey", variables.Keys);
        Assert.Contains("directoryId", variables.Keys);
        Assert.Contains("token", variables.Keys);
    }

    [Fact]
    public void Every_route_and_verb_has_a_request()
    {
        var requests = RequestsFile().Requests;
        var routes = Routes();

        Assert.Contains(routes, route => route.Function == "ReadChanges"); // the metadata was read
        // A catch-all takes every verb; one request shows what it answers.
        var missing = routes.Where(route => !route.IsCatchAll).Where(route => !requests.Any(route.Matches))
            .Concat(routes.Where(route => route.IsCatchAll).GroupBy(route => route.Function)
                .Where(function => !requests.Any(request => HttpTriggerRoute.Serving(routes, request).Any(function.Contains)))
                .Select(function => function.First()))
            .Select(route => route.ToString()).ToList();
        Assert.True(missing.Count == 0, $"scimfunctions.http has no request for:\n{string.Join('\n', missing)}");
    }

    [Fact]
    public void Every_request_is_relative_to_host_and_served_by_exactly_one_route()
    {
        var routes = Routes();

        Assert.All(RequestsFile().Requests, request =>
        {
            Assert.StartsWith(HttpRequestsFile.HostPrefix, request.Url);
            var serving = HttpTriggerRoute.Serving(routes, request);
            Assert.True(serving.Count == 1, $"{request} is served by {serving.Count} routes: {string.Join(", ", serving)}");
        });
    }

    [Fact]
    public void Each_request_carries_the_credential_its_route_takes()
    {
        var routes = Routes();

        Assert.All(RequestsFile().Requests, request =>
        {
            var route = HttpTriggerRoute.Serving(routes, request).Single();
            var authorization = request.Headers.GetValueOrDefault("Authorization");
            var functionKey = request.Headers.GetValueOrDefault("x-functions-key");
            if (route.AuthLevel == "Function")
            {
                Assert.True(functionKey == "{{functionKey}}", $"{request} needs x-functions-key: {{{{functionKey}}}}.");
                Assert.Null(authorization); // a bearer token opens no management route
            }
            else if (IsScimResource(route.Template))
            {
                Assert.True(authorization == "Bearer {{token}}", $"{request} needs Authorization: Bearer {{{{token}}}}.");
                Assert.Null(functionKey);
            }
            else
            {
                // Discovery and health are open: the file shows that nothing is needed.
                Assert.Null(authorization);
                Assert.Null(functionKey);
            }
        });
    }

    [Fact]
    public void Bodies_are_json_with_a_content_type_and_every_variable_is_declared()
    {
        var file = RequestsFile();

        Assert.All(file.Requests, request =>
        {
            var used = VariableUse.Matches(request.Url + string.Join('\n', request.Headers.Values) + request.Body).Select(match => match.Groups[1].Value);
            Assert.All(used, name => Assert.True(file.Variables.ContainsKey(name), $"{request} uses {{{{{name}}}}}, which the file does not declare."));
            if (request.Body.Length == 0) return;

            Assert.True(request.Headers.TryGetValue("Content-Type", out var contentType), $"{request} has a body but no Content-Type.");
            Assert.Contains(contentType, new[] { "application/json", "application/scim+json" });
            var json = VariableUse.Replace(request.Body, match => match.Groups[1].Value);
            Assert.True(JsonNode.Parse(json) is JsonObject, $"{request}: the body is not a JSON object.");
        });
    }

    [Fact]
    public void Readme_points_to_the_file()
    {
        Assert.Contains("scimfunctions.http", RepositoryFiles.Read(RepositoryFiles.Readme));
    }

    private static bool IsScimResource(string template) =>
        template.StartsWith(ScimFunctions.Functions.ScimRoutes.ScimBase + "/Users", StringComparison.Ordinal)
        || template.StartsWith(ScimFunctions.Functions.ScimRoutes.ScimBase + "/Groups", StringComparison.Ordinal)
        || template == ScimFunctions.Functions.ScimRoutes.ScimBase + "/Bulk"
        || template == ScimFunctions.Functions.ScimRoutes.ScimBase + "/.search";
}
