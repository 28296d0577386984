namespace ScimFunctions.LocalHost;

/// <summary>Azurite could not be installed or started; the message is one line that says why.</summary>
public sealed class AzuriteException(string message) : Exception(message);
