namespace ScimFunctions.Scim;

/// <summary>Schema URNs and media types defined by RFC 7643 and RFC 7644.</summary>
public static class ScimConstants
{
    public const string UserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
    public const string GroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
    public const string EnterpriseUserSchema = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

    public const string SchemaSchema = "urn:ietf:params:scim:schemas:core:2.0:Schema";
    public const string ResourceTypeSchema = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
    public const string ServiceProviderConfigSchema = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";

    public const string ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
    public const string PatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    public const string ErrorSchema = "urn:ietf:params:scim:api:messages:2.0:Error";

    /// <summary>Pre-RFC URNs that admin-edited templates (OneLogin) still send.</summary>
    public const string LegacyCoreSchema = "urn:scim:schemas:core:2.0";
    public const string LegacyCoreSchemaV1 = "urn:scim:schemas:core:1.0";
    public const string LegacyEnterpriseSchema = "urn:scim:schemas:extension:enterprise:2.0";
    public const string LegacyEnterpriseSchemaV1 = "urn:scim:schemas:extension:enterprise:1.0";

    public const string ScimMediaType = "application/scim+json";
    public const string JsonMediaType = "application/json";
}
