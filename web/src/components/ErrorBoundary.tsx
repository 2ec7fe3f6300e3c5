import { Component, type ComponentType, type ErrorInfo, type ReactNode } from 'react'

interface Props {
  /** Rendered instead of the children after an error; `reset` clears it. */
  fallback: ComponentType<{ error: unknown; reset: () => void }>
  /** Changing this (the path, say) clears a caught error. */
  resetKey?: unknown
  children: ReactNode
}

interface State {
  error: unknown
  resetKey: unknown
}

/** Keeps one broken page (or a failed lazy chunk) from blanking the whole shell. */
export class ErrorBoundary extends Component<Props, State> {
  override state: State = { error: null, resetKey: this.props.resetKey }

  static getDerivedStateFromError(error: unknown): Partial<State> {
    return { error }
  }

  static getDerivedStateFromProps(props: Props, state: State): Partial<State> | null {
    return props.resetKey !== state.resetKey ? { error: null, resetKey: props.resetKey } : null
  }

  override componentDidCatch(error: unknown, info: ErrorInfo) {
    console.error('Page error', error, info.componentStack)
  }

  override render() {
    const Fallback = this.props.fallback
    if (this.state.error !== null) return <Fallback error={this.state.error} reset={() => this.setState({ error: null })} />
    return this.props.children
  }
}
