// The Flex Consumption plan (FC1): Linux, scales to zero, billed per execution and memory.
@description('Name of the App Service plan.')
param name string

@description('Azure region.')
param location string

param tags object = {}

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: name
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true // Linux
  }
}

output id string = plan.id
output name string = plan.name
