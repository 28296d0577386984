using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace ScimFunctions.Functions.Portal;

/// <summary>One embedded portal file, answered as itself (200) or as "not modified" (304) when the browser has it.</summary>
public sealed record PortalFile(byte[] Content, string MediaType, string ETag)
{
    public IActionResult Answer(string? ifNoneMatch) => new FileAnswer(this, ifNoneMatch is not null && ifNoneMatch.Split(',').Any(tag => tag.Trim() == ETag));

    private sealed class FileAnswer(PortalFile file, bool notModified) : IActionResult
    {
        public async Task ExecuteResultAsync(ActionContext context)
        {
            var response = context.HttpContext.Response;
            response.Headers.ETag = file.ETag;
            if (notModified)
            {
                response.StatusCode = StatusCodes.Status304NotModified;
                return;
            }
            response.StatusCode = StatusCodes.Status200OK;
            response.ContentType = file.MediaType;
            response.ContentLength = file.Content.Length;
            if (!HttpMethods.IsHead(context.HttpContext.Request.Method)) await response.Body.WriteAsync(file.Content, context.HttpContext.RequestAborted);
        }
    }
}
