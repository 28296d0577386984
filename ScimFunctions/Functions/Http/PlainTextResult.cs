using System.Text;
using Microsoft.AspNetCore.Mvc;

namespace ScimFunctions.Functions.Http;

/// <summary>A short text/plain answer written straight to the response (no MVC executors, so it runs in both hosts).</summary>
public sealed class PlainTextResult(int statusCode, string text) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var response = context.HttpContext.Response;
        response.StatusCode = statusCode;
        response.ContentType = "text/plain; charset=utf-8";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), context.HttpContext.RequestAborted);
    }
}
