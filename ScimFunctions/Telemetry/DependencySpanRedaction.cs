using System.Diagnostics;
using Span = System.Diagnostics.Activity;
using OpenTelemetry;

namespace ScimFunctions.Telemetry;

/// <summary>
/// Azure SDK spans record the request URL. Table entity URLs name the row key — and index rows are keyed by
/// the folded userName or externalId — so every URL is cut to scheme, host and table (or queue, or vault
/// path) before any exporter sees it. Query strings are dropped too.
/// </summary>
public sealed class DependencySpanRedaction : BaseProcessor<Span>
{
    private static readonly string[] UrlTags = ["url.full", "http.url"];

    public override void OnEnd(Span data)
    {
        foreach (var tag in UrlTags)
        {
            if (data.GetTagItem(tag) is string url) data.SetTag(tag, Redact(url));
        }
    }

    /// <summary><c>https://a.table.core.windows.net/ScimData(PartitionKey='p',RowKey='k')?$select=x</c> →
    /// <c>https://a.table.core.windows.net/ScimData</c>.</summary>
    public static string Redact(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri)) return "";
        var path = uri.AbsolutePath;
        var cut = path.IndexOfAny(['(', '?']);
        if (cut >= 0) path = path[..cut];
        return $"{uri.Scheme}://{uri.Authority}{path}";
    }
}
