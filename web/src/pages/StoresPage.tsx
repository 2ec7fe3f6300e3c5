import { ComingSoon } from '../components/ComingSoon'

// Placeholder until the stores page is built.
export default function StoresPage() {
  return <ComingSoon page="stores" />
}
