using ScimFunctions.Functions.Http;

namespace ScimFunctions.Tests;

/// <summary>
/// Exceptions carry no HTTP status; tests that check what a refusal is answered with read it through the one
/// mapper the HTTP edge uses, as <c>failure.Status</c> and <c>failure.ScimType</c>.
/// </summary>
public static class MappedErrorExtensions
{
    extension(Exception failure)
    {
        /// <summary>The HTTP status the edge answers this exception with.</summary>
        public int Status => ErrorMapper.Map(failure).Status;

        /// <summary>The RFC 7644 <c>scimType</c> the edge answers this exception with.</summary>
        public string? ScimType => ErrorMapper.Map(failure).ScimType;
    }
}
