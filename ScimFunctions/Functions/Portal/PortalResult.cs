using Microsoft.AspNetCore.Mvc;

namespace ScimFunctions.Functions.Portal;

/// <summary>Any result of a portal route with the portal's headers set first (the result may add its own, such as a cookie).</summary>
public sealed class PortalResult(IActionResult inner, IReadOnlyList<(string Name, string Value)> headers) : IActionResult
{
    public IActionResult Inner => inner;

    public Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        foreach (var (name, value) in headers) response.Headers[name] = value;
        return inner.ExecuteResultAsync(context);
    }
}
