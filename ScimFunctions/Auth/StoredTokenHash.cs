namespace ScimFunctions.Auth;

/// <summary>What the hash store holds for one token: everything validation needs, from one read.</summary>
public sealed record StoredTokenHash(
    string DirectoryId,
    string TokenId,
    byte[] Hash,
    bool Enabled,
    DateTimeOffset? ExpiresOn,
    string Label,
    DateTimeOffset CreatedOn);
