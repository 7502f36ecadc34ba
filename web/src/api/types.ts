/** The shapes of the Globe Vault HTTP API as the UI reads them: the typed client's, one copy for both. */
export * from '../../../clients/globe-vault-client/responses';
