using System.Text.Json;

namespace ScimFunctions.Tests.Infra;

/// <summary>
/// One verb of one HTTP-triggered function, as the build's generated functions.metadata declares it (what the
/// Functions host serves). host.json's routePrefix is empty, so the route is the whole path.
/// </summary>
internal sealed record HttpTriggerRoute(string Function, string Method, string Template, string AuthLevel)
{
    public static IReadOnlyList<HttpTriggerRoute> LoadAll()
    {
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "functions.metadata");
        if (!File.Exists(path)) throw new FileNotFoundException($"functions.metadata not found at {path}; the Worker SDK generates it at build time.");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var routes = new List<HttpTriggerRoute>();
        foreach (var function in document.RootElement.EnumerateArray())
        {
            var name = function.GetProperty("name").GetString()!;
            foreach (var binding in function.GetProperty("bindings").EnumerateArray())
            {
                if (binding.GetProperty("type").GetString() != "httpTrigger") continue;
                var template = binding.GetProperty("route").GetString()!;
                var authLevel = binding.GetProperty("authLevel").GetString()!;
                routes.AddRange(binding.GetProperty("methods").EnumerateArray()
                    .Select(method => new HttpTriggerRoute(name, method.GetString()!.ToUpperInvariant(), template, authLevel)));
            }
        }
        return routes;
    }

    /// <summary>A route ending in <c>{*rest}</c>: it takes whatever no other route takes.</summary>
    public bool IsCatchAll => Template.Split('/')[^1].StartsWith("{*", StringComparison.Ordinal);

    /// <summary>Same verb, same number of segments, and every literal segment equal (routes ignore case);
    /// a <c>{parameter}</c> segment matches any one segment, a final <c>{*rest}</c> any remaining ones.</summary>
    public bool Matches(HttpFileRequest request)
    {
        if (!string.Equals(Method, request.Method, StringComparison.OrdinalIgnoreCase)) return false;
        var expected = Template.Split('/');
        var actual = request.Path.Split('/');
        if (IsCatchAll)
        {
            expected = expected[..^1];
            if (actual.Length < expected.Length) return false;
            actual = actual[..expected.Length];
        }
        if (expected.Length != actual.Length) return false;
        return expected.Zip(actual).All(pair =>
            IsParameter(pair.First) ? pair.Second.Length > 0 : string.Equals(pair.First, pair.Second, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The routes that serve <paramref name="request"/>: as in the host, any other route wins over a catch-all.</summary>
    public static IReadOnlyList<HttpTriggerRoute> Serving(IEnumerable<HttpTriggerRoute> routes, HttpFileRequest request)
    {
        var matching = routes.Where(route => route.Matches(request)).ToList();
        var specific = matching.Where(route => !route.IsCatchAll).ToList();
        return specific.Count > 0 ? specific : matching;
    }

    private static bool IsParameter(string segment) => segment.StartsWith('{') && segment.EndsWith('}');

    public override string ToString() => $"{Method} {Template} ({Function})";
}
