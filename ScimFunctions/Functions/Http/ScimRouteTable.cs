using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ScimFunctions.Functions.Http;

/// <summary>
/// The paths under a SCIM base that some function serves, and with which methods — read from the functions'
/// own <c>[HttpTrigger]</c> attributes, so it cannot drift from them. It tells the fallback whether an
/// unmatched request named an unknown path (404) or a known path with a method it does not take (405).
/// </summary>
public sealed class ScimRouteTable
{
    private static readonly string BasePrefix = ScimRoutes.ScimBase + "/";

    private readonly IReadOnlyList<(string[] Segments, IReadOnlySet<string> Methods)> routes;

    public ScimRouteTable(IEnumerable<(string Route, IEnumerable<string> Methods)> scimRoutes)
    {
        routes = scimRoutes
            .Where(route => route.Route.StartsWith(BasePrefix, StringComparison.OrdinalIgnoreCase) && !route.Route.Contains("{*", StringComparison.Ordinal))
            .GroupBy(route => route.Route[BasePrefix.Length..], StringComparer.OrdinalIgnoreCase)
            .Select(group => (group.Key.Split('/'), (IReadOnlySet<string>)group.SelectMany(route => route.Methods)
                .Select(method => method.ToUpperInvariant()).ToHashSet(StringComparer.Ordinal)))
            .ToList();
    }

    /// <summary>The table of this assembly's HTTP functions.</summary>
    public static ScimRouteTable FromFunctions() => new(
        typeof(ScimRouteTable).Assembly.GetTypes()
            .SelectMany(type => type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            .Where(method => method.GetCustomAttribute<FunctionAttribute>() is not null)
            .SelectMany(method => method.GetParameters())
            .Select(parameter => parameter.GetCustomAttribute<HttpTriggerAttribute>())
            .Where(trigger => trigger?.Route is not null)
            .Select(trigger => (trigger!.Route!, (IEnumerable<string>)(trigger.Methods ?? []))));

    /// <summary>The methods the path (relative to the SCIM base, e.g. <c>Users/123</c>) takes; empty when no
    /// function serves it.</summary>
    public IReadOnlyList<string> MethodsFor(string relativePath)
    {
        var segments = relativePath.Trim('/').Split('/');
        return routes.Where(route => Matches(route.Segments, segments))
            .SelectMany(route => route.Methods).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }

    private static bool Matches(string[] template, string[] segments) =>
        template.Length == segments.Length
        && template.Zip(segments).All(pair => IsParameter(pair.First)
            ? pair.Second.Length > 0
            : string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');
}
