// Holds the SHA-256 hashes of the SCIM bearer tokens, one secret per token. Access is by Azure RBAC only
// (no access policies), and purge protection means a deleted vault cannot be destroyed before its
// retention period ends, even by an administrator.
@description('Name of the Key Vault (3-24 characters, globally unique).')
param name string

@description('Azure region.')
param location string

param tags object = {}

@description('Days a deleted vault and its secrets stay recoverable (7-90). With purge protection on, the vault name stays taken for this long after deletion.')
@minValue(7)
@maxValue(90)
param softDeleteRetentionInDays int = 7

resource vault 'Microsoft.KeyVault/vaults@2024-11-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    enablePurgeProtection: true
    softDeleteRetentionInDays: softDeleteRetentionInDays
    enabledForDeployment: false
    enabledForDiskEncryption: false
    enabledForTemplateDeployment: false
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

output name string = vault.name
output id string = vault.id
output uri string = vault.properties.vaultUri
