import streamlit as st
st.set_page_config(page_title="x", layout="wide")
st.title("单位")
st.metric("本年收入", "1,234.00 万元")
