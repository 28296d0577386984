using System.Text.RegularExpressions;

namespace ScimFunctions.Tests.Infra;

/// <summary>One request of an .http file: its verb, its URL as written, its headers and its body.</summary>
internal sealed record HttpFileRequest(string Method, string Url, IReadOnlyDictionary<string, string> Headers, string Body)
{
    /// <summary>The URL's path after <c>{{host}}/</c>, without the query: what the route template must match.</summary>
    public string Path
    {
        get
        {
            var withoutHost = Url.StartsWith(HttpRequestsFile.HostPrefix, StringComparison.Ordinal) ? Url[HttpRequestsFile.HostPrefix.Length..] : Url;
            var query = withoutHost.IndexOf('?');
            return query >= 0 ? withoutHost[..query] : withoutHost;
        }
    }

    public override string ToString() => $"{Method} {Url}";
}

/// <summary>
/// Reads the subset of the .http format that VS Code REST Client, Rider and Visual Studio share: file variables
/// (<c>@name = value</c>), requests separated by lines starting with <c>###</c>, <c>#</c> comments, a request
/// line, headers up to the first blank line, then the body.
/// </summary>
internal sealed class HttpRequestsFile
{
    public const string HostPrefix = "{{host}}/";

    private static readonly Regex Variable = new(@"^@(\w+)\s*=\s*(.*)$", RegexOptions.Compiled);
    private static readonly Regex RequestLine = new(@"^(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)\s+(\S+)(\s+HTTP/[\d.]+)?$", RegexOptions.Compiled);
    private static readonly Regex Header = new(@"^([A-Za-z0-9-]+):\s*(.*)$", RegexOptions.Compiled);

    private HttpRequestsFile(IReadOnlyDictionary<string, string> variables, IReadOnlyList<HttpFileRequest> requests)
    {
        Variables = variables;
        Requests = requests;
    }

    public IReadOnlyDictionary<string, string> Variables { get; }

    public IReadOnlyList<HttpFileRequest> Requests { get; }

    public static HttpRequestsFile Parse(string text)
    {
        var variables = new Dictionary<string, string>(StringComparer.Ordinal);
        var requests = new List<HttpFileRequest>();
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<List<string>> { new() };
        foreach (var line in lines)
        {
            if (line.StartsWith("###", StringComparison.Ordinal)) blocks.Add([]);
            else blocks[^1].Add(line);
        }

        foreach (var block in blocks)
        {
            var index = 0;
            // Before the request line: blank lines, comments and variables only.
            for (; index < block.Count; index++)
            {
                var line = block[index].Trim();
                if (line.Length == 0 || line.StartsWith('#') || line.StartsWith("//", StringComparison.Ordinal)) continue;
                if (Variable.Match(line) is { Success: true } variable)
                {
                    variables[variable.Groups[1].Value] = variable.Groups[2].Value.Trim();
                    continue;
                }
                break;
            }
            if (index == block.Count) continue;

            var request = RequestLine.Match(block[index].Trim());
            if (!request.Success) throw new FormatException($"Expected a request line: {block[index]}");
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (index++; index < block.Count && block[index].Trim().Length > 0; index++)
            {
                var header = Header.Match(block[index].Trim());
                if (!header.Success) throw new FormatException($"Expected a header after {request.Value}: {block[index]}");
                headers[header.Groups[1].Value] = header.Groups[2].Value.Trim();
            }
            var body = string.Join('\n', block.Skip(index)).Trim();
            requests.Add(new HttpFileRequest(request.Groups[1].Value, request.Groups[2].Value, headers, body));
        }
        return new HttpRequestsFile(variables, requests);
    }
}
