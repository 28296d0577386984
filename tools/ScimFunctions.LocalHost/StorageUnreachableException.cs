namespace ScimFunctions.LocalHost;

/// <summary>Storage cannot be reached; the message is one line naming the address tried.</summary>
public sealed class StorageUnreachableException(string message) : Exception(message);
