using System.Diagnostics;
using Span = System.Diagnostics.Activity;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Routing;

namespace ScimFunctions.Telemetry;

/// <summary>
/// One span per HTTP function call, named by its route template. It carries the method, the template and
/// the status only: paths and queries may hold client values (a filter names a userName), so neither is
/// recorded. In Azure it nests under the Functions invocation span; locally it is the request's root.
/// </summary>
public static class RequestSpan
{
    public static Span? Start(HttpRequest request)
    {
        if (!ScimTelemetry.Source.HasListeners()) return null;
        var route = (request.HttpContext.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText;
        var kind = Span.Current is null ? ActivityKind.Server : ActivityKind.Internal;
        var span = ScimTelemetry.Source.StartActivity(route is null ? request.Method : $"{request.Method} /{route.TrimStart('/')}", kind);
        if (span is null) return null;
        span.SetTag("http.request.method", request.Method);
        if (route is not null) span.SetTag("http.route", "/" + route.TrimStart('/'));
        return span;
    }

    public static void Complete(Span? span, object result)
    {
        if (span is null) return;
        if (result is IStatusCodeActionResult { StatusCode: { } status })
        {
            span.SetTag("http.response.status_code", status);
            if (status >= 500) span.SetStatus(ActivityStatusCode.Error);
        }
        span.Dispose();
    }
}
