import type { ReactNode } from "react";

import type { Me } from "../api/types";
import { UserMenu } from "./UserMenu";

interface Props {
  me: Me;
  onLogout: () => Promise<void>;
  /** The page's heading. */
  title: string;
  /** An extra class on the page's main element. */
  className?: string;
  children: ReactNode;
}

/** A page reached from the user menu (Models, API tokens): the top bar with the menu, then the
 *  page's heading and content. */
export function MenuPage({ me, onLogout, title, className, children }: Props) {
  return (
    <div className="page">
      <header className="topbar">
        <span className="brand">Octograph</span>
        <span className="spacer" />
        <UserMenu username={me.username} onLogout={onLogout} />
      </header>
      <main className={className === undefined ? "list-main" : `list-main ${className}`}>
        <h1>{title}</h1>
        {children}
      </main>
    </div>
  );
}
