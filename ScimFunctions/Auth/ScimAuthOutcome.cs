using System.Diagnostics.CodeAnalysis;

namespace ScimFunctions.Auth;

/// <summary>The outcome of authenticating a SCIM request: the token's directory and id, or why it failed.</summary>
public sealed class ScimAuthOutcome
{
    private ScimAuthOutcome(string? directoryId, string? tokenId, ScimAuthFailure? failure)
    {
        DirectoryId = directoryId;
        TokenId = tokenId;
        Failure = failure;
    }

    [MemberNotNullWhen(false, nameof(Failure))]
    [MemberNotNullWhen(true, nameof(DirectoryId), nameof(TokenId))]
    public bool Succeeded => Failure is null;

    public string? DirectoryId { get; }
    public string? TokenId { get; }
    public ScimAuthFailure? Failure { get; }

    public static ScimAuthOutcome Success(string directoryId, string tokenId) => new(directoryId, tokenId, null);
    public static ScimAuthOutcome Fail(ScimAuthFailure failure) => new(null, null, failure);
}
