namespace ScimFunctions.Scim.Schema;

/// <summary>The RFC 7643 §4 and §8.7.1 schemas as data.</summary>
public static class ScimSchemas
{
    /// <summary>id, externalId and meta (RFC 7643 §3.1): part of every resource, not of any served schema.</summary>
    public static IReadOnlyList<AttributeDefinition> CommonAttributes { get; } =
    [
        new("id", description: "Unique identifier for the SCIM resource as defined by the service provider.",
            caseExact: true, mutability: Mutability.ReadOnly, returned: Returned.Always, uniqueness: Uniqueness.Server),
        new("externalId", description: "An identifier for the resource as defined by the provisioning client.",
            caseExact: true),
        new("meta", AttributeType.Complex, "Resource metadata.", mutability: Mutability.ReadOnly, subAttributes:
        [
            new("resourceType", description: "The name of the resource type of the resource.", caseExact: true, mutability: Mutability.ReadOnly),
            new("created", AttributeType.DateTime, "The time the resource was added to the service provider.", mutability: Mutability.ReadOnly),
            new("lastModified", AttributeType.DateTime, "The time the resource was last updated.", mutability: Mutability.ReadOnly),
            new("location", AttributeType.Reference, "The URI of the resource being returned.", caseExact: true,
                mutability: Mutability.ReadOnly, referenceTypes: ["uri"]),
            new("version", description: "The version (ETag) of the resource being returned.", caseExact: true, mutability: Mutability.ReadOnly),
        ]),
    ];

    public static SchemaDefinition User { get; } = new(ScimConstants.UserSchema, "User", "User Account",
    [
        new("userName", description: "Unique identifier for the User, typically used by the user to directly authenticate to the service provider.",
            required: true, uniqueness: Uniqueness.Server),
        new("name", AttributeType.Complex, "The components of the user's real name.", subAttributes:
        [
            new("formatted", description: "The full name, including all middle names, titles, and suffixes as appropriate, formatted for display."),
            new("familyName", description: "The family name of the User, or last name in most Western languages."),
            new("givenName", description: "The given name of the User, or first name in most Western languages."),
            new("middleName", description: "The middle name(s) of the User."),
            new("honorificPrefix", description: "The honorific prefix(es) of the User, or title in most Western languages."),
            new("honorificSuffix", description: "The honorific suffix(es) of the User, or suffix in most Western languages."),
        ]),
        new("displayName", description: "The name of the User, suitable for display to end-users."),
        new("nickName", description: "The casual way to address the user in real life."),
        new("profileUrl", AttributeType.Reference, "A fully qualified URL pointing to a page representing the User's online profile.",
            referenceTypes: ["external"]),
        new("title", description: "The user's title, such as \"Vice President\"."),
        new("userType", description: "Used to identify the relationship between the organization and the user."),
        new("preferredLanguage", description: "Indicates the User's preferred written or spoken language."),
        new("locale", description: "Used to indicate the User's default location for purposes of localizing items such as currency, date time format, or numerical representations."),
        new("timezone", description: "The User's time zone in the 'Olson' time zone database format, e.g., 'America/Los_Angeles'."),
        new("active", AttributeType.Boolean, "A Boolean value indicating the User's administrative status."),
        new("password", description: "The User's cleartext password.", mutability: Mutability.WriteOnly, returned: Returned.Never),
        MultiValuedValue("emails", "Email addresses for the user.", ["work", "home", "other"]),
        MultiValuedValue("phoneNumbers", "Phone numbers for the User.", ["work", "home", "mobile", "fax", "pager", "other"]),
        MultiValuedValue("ims", "Instant messaging addresses for the User.", ["aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"]),
        MultiValuedValue("photos", "URLs of photos of the User.", ["photo", "thumbnail"], AttributeType.Reference, ["external"]),
        new("addresses", AttributeType.Complex, "A physical mailing address for this User.", multiValued: true, subAttributes:
        [
            new("formatted", description: "The full mailing address, formatted for display or use with a mailing label."),
            new("streetAddress", description: "The full street address component."),
            new("locality", description: "The city or locality component."),
            new("region", description: "The state or region component."),
            new("postalCode", description: "The zip code or postal code component."),
            new("country", description: "The country name component."),
            new("type", description: "A label indicating the attribute's function, e.g., 'work' or 'home'.", canonicalValues: ["work", "home", "other"]),
            new("primary", AttributeType.Boolean, "A Boolean value indicating the 'primary' or preferred attribute value for this attribute."),
        ]),
        new("groups", AttributeType.Complex, "A list of groups to which the user belongs.", multiValued: true,
            mutability: Mutability.ReadOnly, subAttributes:
        [
            new("value", description: "The identifier of the User's group.", mutability: Mutability.ReadOnly),
            new("$ref", AttributeType.Reference, "The URI of the corresponding 'Group' resource to which the user belongs.",
                mutability: Mutability.ReadOnly, referenceTypes: ["Group"]),
            new("display", description: "A human-readable name, primarily used for display purposes.", mutability: Mutability.ReadOnly),
            new("type", description: "A label indicating the attribute's function, e.g., 'direct' or 'indirect'.",
                mutability: Mutability.ReadOnly, canonicalValues: ["direct", "indirect"]),
        ]),
        MultiValuedValue("entitlements", "A list of entitlements for the User that represent a thing the User has.", []),
        MultiValuedValue("roles", "A list of roles for the User that collectively represent who the User is.", []),
        MultiValuedValue("x509Certificates", "A list of certificates issued to the User.", [], AttributeType.Binary),
    ]);

    public static SchemaDefinition Group { get; } = new(ScimConstants.GroupSchema, "Group", "Group",
    [
        new("displayName", description: "A human-readable name for the Group.", required: true),
        new("members", AttributeType.Complex, "A list of members of the Group.", multiValued: true, subAttributes:
        [
            new("value", description: "Identifier of the member of this Group.", mutability: Mutability.Immutable),
            // Groups do not nest here: a member is always a user, so the schema offers nothing else.
            new("$ref", AttributeType.Reference, "The URI of the User resource that is a member of this Group.",
                mutability: Mutability.Immutable, referenceTypes: ["User"]),
            new("type", description: "The type of the member: always 'User' (groups do not nest).",
                mutability: Mutability.Immutable, canonicalValues: ["User"]),
            new("display", description: "A human-readable name for the member.", mutability: Mutability.Immutable),
        ]),
    ]);

    public static SchemaDefinition EnterpriseUser { get; } = new(ScimConstants.EnterpriseUserSchema, "EnterpriseUser", "Enterprise User",
    [
        new("employeeNumber", description: "Numeric or alphanumeric identifier assigned to a person, typically based on order of hire or association with an organization."),
        new("costCenter", description: "Identifies the name of a cost center."),
        new("organization", description: "Identifies the name of an organization."),
        new("division", description: "Identifies the name of a division."),
        new("department", description: "Identifies the name of a department."),
        new("manager", AttributeType.Complex, "The User's manager.", subAttributes:
        [
            new("value", description: "The id of the SCIM resource representing the User's manager."),
            new("$ref", AttributeType.Reference, "The URI of the SCIM resource representing the User's manager.", referenceTypes: ["User"]),
            new("displayName", description: "The displayName of the User's manager.", mutability: Mutability.ReadOnly),
        ]),
    ]);

    public static IReadOnlyList<SchemaDefinition> All { get; } = [User, Group, EnterpriseUser];

    /// <summary>
    /// userName, the displayNames of User and Group, and externalId: indexed, copied into membership rows and
    /// held to <see cref="ScimInputLimits.MaxIdentifierLength"/>; they take strings only.
    /// </summary>
    private static readonly HashSet<AttributeDefinition> Identifiers =
    [
        User.FindAttribute("userName")!,
        User.FindAttribute("displayName")!,
        Group.FindAttribute("displayName")!,
        CommonAttributes.Single(a => a.Name == "externalId"),
    ];

    public static bool IsIdentifier(AttributeDefinition definition) => Identifiers.Contains(definition);

    public static SchemaDefinition? Find(string urn)
        => All.FirstOrDefault(s => s.Id.Equals(urn, StringComparison.OrdinalIgnoreCase));

    private static AttributeDefinition MultiValuedValue(
        string name, string description, IReadOnlyList<string> typeValues,
        AttributeType valueType = AttributeType.String, IReadOnlyList<string>? referenceTypes = null)
        => new(name, AttributeType.Complex, description, multiValued: true, subAttributes:
        [
            new("value", valueType, $"The value of {name}.", referenceTypes: referenceTypes),
            new("display", description: "A human-readable name, primarily used for display purposes."),
            new("type", description: "A label indicating the attribute's function.", canonicalValues: typeValues),
            new("primary", AttributeType.Boolean, "A Boolean value indicating the 'primary' or preferred attribute value for this attribute."),
        ]);
}
