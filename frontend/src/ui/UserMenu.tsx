import { followLink } from "../router";

type Props = {
  username: string;
  onLogout: () => Promise<void>;
};

/** The signed-in user's links, at the right of a page's top bar: the graphs, the models the
 *  teams can use, the user's API tokens, and logging out. */
export function UserMenu({ username, onLogout }: Props) {
  return (
    <nav className="user-menu" aria-label="User menu">
      <a href="/" onClick={followLink}>
        Graphs
      </a>
      <a href="/models" onClick={followLink}>
        Models
      </a>
      <a href="/tokens" onClick={followLink}>
        API tokens
      </a>
      <span className="muted">{username}</span>
      <button onClick={() => void onLogout()}>Log out</button>
    </nav>
  );
}
