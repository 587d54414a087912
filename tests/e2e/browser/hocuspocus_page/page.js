// The browser test's script: the real @hocuspocus/provider in Chromium, run on a page of the
// site (so the session cookie signs it in; no token). Bundled by bundle.cjs for the test only.
import * as Y from 'yjs'
import { HocuspocusProvider } from '@hocuspocus/provider'

window.startHocuspocus = (documentName) => {
  const doc = new Y.Doc()
  const text = doc.getText('text')
  const state = { scope: null, failed: null }
  const provider = new HocuspocusProvider({
    url: `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws/hocuspocus`,
    name: documentName,
    document: doc,
    onAuthenticated: ({ scope }) => { state.scope = scope },
    onAuthenticationFailed: ({ reason }) => { state.failed = reason }
  })
  window.hocuspocus = {
    state,
    synced: () => provider.synced,
    saved: () => !provider.hasUnsyncedChanges,
    text: () => text.toString(),
    insert: (index, value) => text.insert(index, value)
  }
}
