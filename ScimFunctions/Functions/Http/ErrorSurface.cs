namespace ScimFunctions.Functions.Http;

/// <summary>Which API a route belongs to; it decides the error response's media type.</summary>
public enum ErrorSurface
{
    /// <summary>SCIM routes (and their discovery): <c>application/scim+json</c>.</summary>
    Scim,

    /// <summary><c>/manage</c> and <c>/health</c>: the same error body as <c>application/json</c>.</summary>
    Management,

    /// <summary><c>/portal</c>: <c>{"error": code, "message": text}</c> as <c>application/json</c>.</summary>
    Portal,
}
